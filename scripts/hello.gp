# hello.gp - who is who, as measured: on the left the process workers,
# each a process of its own (its pid) under pvt (their parent's pid); on
# the right the thread workers, one box for pvt's one process (one pid)
# holding every worker's thread id
# csv: hello.csv
# text: model
# numeric: worker pid ppid tid pvt_pid

stats where("model", "process") using (column("worker")) nooutput name "P"
stats where("model", "thread") using (column("worker")) nooutput name "T"
stats csv using (column("pvt_pid")) nooutput name "PVT"
np = P_records
nt = T_records

set multiplot layout 1, 2 title "hello: who is who, with the pids and thread ids this run measured" font font(26) margins 0.02, 0.98, 0.12, 0.82 spacing 0.04, 0
unset border
unset tics
unset grid
unset key
# boxes drawn as rectangles (the svg terminal draws no text boxes)
BOX = "with boxxyerror lc rgb '#333333' lw 1.5 fs empty"
# svg sets lines of text lower than pngcairo: its boxes follow them down
dy = fmt eq "svg" ? -0.12 : 0
set yrange [-1.9:1.6]

# left: pvt above, one process per worker below, an arrow to each
set title "process: each worker a process of its own" font font(22)
set xrange [-0.7:(np > 1 ? np - 1 : 1) + 0.7]
set label 10 sprintf("pvt\npid %d", PVT_max) at (np - 1) / 2.0, 1.15 center font font(20)
set object 2 rect center (np - 1) / 2.0, 1.15 + dy size 0.8, 0.6 fs empty border lc rgb "#333333" lw 1.5
set style arrow 1 head filled size char 0.8, 20 lw 2 lc rgb model_color("process")
set label 11 "fork()" at (np - 1) / 2.0, 0.6 center font font(16) textcolor rgb "#555555"
plot where("model", "process") using ((np - 1) / 2.0):(0.8):(column("worker") - (np - 1) / 2.0):(-0.35) \
		with vectors arrowstyle 1, \
	where("model", "process") using (column("worker")):(dy):(0.44):(0.5) @BOX, \
	where("model", "process") using (column("worker")):(0):(sprintf("worker %d\npid %d\nppid %d", column("worker"), column("pid"), column("ppid"))) \
		with labels center font font(18) textcolor rgb model_color("process"), \
	where("model", "process") using (column("worker")):(-0.7):("own memory") \
		with labels center font font(14) textcolor rgb "#555555"
unset label 10
unset label 11
unset object 2

# right: one process (pvt's) drawn as a box, one thread per worker in it
set title "thread: every worker a thread of pvt's one process" font font(22)
set xrange [-0.7:(nt > 1 ? nt - 1 : 1) + 0.7]
set object 1 rect from -0.55, -1.55 to (nt - 1) + 0.55, 1.35 fs empty border lc rgb model_color("thread") lw 3
set label 20 sprintf("pvt: pid %d, one memory shared by all", PVT_max) at (nt - 1) / 2.0, 1 center font font(20)
plot where("model", "thread") using (column("worker")):(dy):(0.44):(0.5) @BOX, \
	where("model", "thread") using (column("worker")):(0):(sprintf("worker %d\npid %d\ntid %d", column("worker"), column("pid"), column("tid"))) \
		with labels center font font(18) textcolor rgb model_color("thread")
unset object 1
unset label 20
unset multiplot
