# isolation.gp - two address spaces, as measured: for the process model,
# pvt's memory and the worker's side by side, the same addresses holding
# different values after the worker wrote; for the thread model one
# memory, where pvt reads what the worker wrote
# csv: isolation.csv
# text: model variable address
# numeric: worker_pid pvt_pid worker_read worker_wrote pvt_reads

stats where("model", "process") using (column("worker_pid")) nooutput name "W"
stats csv using (column("pvt_pid")) nooutput name "PVT"
nv = W_records
cell(v, a, x) = sprintf("%s\nat %s\n= %d", v, a, x)

set multiplot layout 1, 2 title "isolation: the same address in two memories, or in one" font font(26) margins 0.02, 0.98, 0.12, 0.82 spacing 0.04, 0
unset border
unset tics
unset grid
unset key
# boxes drawn as rectangles (the svg terminal draws no text boxes)
BOX = "with boxxyerror lc rgb '#333333' lw 1.5 fs empty"
# svg sets lines of text lower than pngcairo: its boxes follow them down
dy = fmt eq "svg" ? -0.12 : 0
set xrange [-0.1:2.1]
set yrange [-nv - 0.6:1.2]

# left: process: pvt's memory and the worker's, each with its own copy
set title "process: two address spaces" font font(22)
set object 1 rect from 0, -nv - 0.4 to 0.95, 0.9 fs empty border lc rgb "#000000" lw 3
set object 2 rect from 1.05, -nv - 0.4 to 2, 0.9 fs empty border lc rgb model_color("process") lw 3
set label 1 sprintf("pvt (pid %d)\nreads", PVT_max) at 0.475, 0.45 center font font(18)
set label 2 sprintf("worker (pid %d)\nwrote", W_max) at 1.525, 0.45 center font font(18) textcolor rgb model_color("process")
plot for [at in "0.475 1.525"] where("model", "process") using (real(at)):(-$0 - 0.3 + dy):(0.4):(0.42) @BOX, \
	where("model", "process") using (0.475):(-$0 - 0.3):(cell(strcol("variable"), strcol("address"), column("pvt_reads"))) \
		with labels center font font(16), \
	where("model", "process") using (1.525):(-$0 - 0.3):(cell(strcol("variable"), strcol("address"), column("worker_wrote"))) \
		with labels center font font(16) textcolor rgb model_color("process")
unset object 1
unset object 2
unset label 1
unset label 2

# right: thread: one memory; what the worker wrote is what pvt reads
set title "thread: one address space" font font(22)
set object 3 rect from 0, -nv - 0.4 to 2, 0.9 fs empty border lc rgb model_color("thread") lw 3
set label 3 sprintf("pvt (pid %d) and its thread worker", PVT_max) at 1, 0.5 center font font(20) textcolor rgb model_color("thread")
plot where("model", "thread") using (1):(-$0 - 0.3 + dy):(0.85):(0.42) @BOX, \
	where("model", "thread") using (1):(-$0 - 0.3):(sprintf("%s at %s\nworker wrote %d, pvt reads %d", strcol("variable"), strcol("address"), column("worker_wrote"), column("pvt_reads"))) \
		with labels center font font(18) textcolor rgb model_color("thread")
unset object 3
unset label 3
unset multiplot
