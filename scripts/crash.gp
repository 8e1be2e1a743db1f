# crash.gp - what is left after one worker dies of a signal: for each
# model (and worker count), the tasks whose result was kept beside those
# lost, and how many workers survived
# csv: crash.csv
# text: model signal
# numeric: workers tasks crash_task tasks_done tasks_lost survivors

stats csv using (column("tasks")) nooutput name "T"
stats csv using (column("crash_task")) nooutput name "K"
stats csv using (column("workers")) nooutput name "W"
N = T_records
# the signal, as the first row names it
sig = word(present("signal"), 1)
# a bar's name: its model, and its worker count when several were run
name(m, w) = W_min == W_max ? m : sprintf("%s ×%d", m, w)

set title sprintf("crash: task %d of %d raises SIG%s; what is left\na process dies alone, a thread takes its whole process", \
	int(K_min), int(T_max), sig)
set ylabel "tasks"
set xrange [-0.6:N - 0.4]
set yrange [0:T_max * 1.3]
set xtics scale 0
set style fill solid 0.85 border lc rgb "#333333"
set boxwidth 0.36

plot csv using ($0 - 0.19):(column("tasks_done")) \
		with boxes lc rgb "#009E73" title "done, result kept", \
	csv using ($0 + 0.19):(column("tasks_lost")) \
		with boxes lc rgb "#D55E00" title "lost", \
	csv using ($0):(column("tasks_done") > column("tasks_lost") ? \
		       column("tasks_done") : column("tasks_lost")): \
		(sprintf("%d of %d workers\nsurvived", column("survivors"), \
			 column("workers"))): \
		xtic(name(strcol("model"), column("workers"))) \
		with labels offset 0, char 1.6 font font(18) notitle
