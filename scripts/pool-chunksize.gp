# pool-chunksize.gp - µs per task of the map alone (the pool already
# running) by chunksize, one line per model, log-log: a chunk pays one
# hand-out for many tasks
# csv: pool.summary.csv
# text: model experiment
# numeric: workers chunksize map_us_per_task

stats csv using (strcol("experiment") eq "chunksize" ? column("workers") : NaN) \
	nooutput name "W"
stats csv using (strcol("experiment") eq "chunksize" && column("workers") == W_min ? \
	column("map_us_per_task") : NaN) nooutput name "U"
stats csv using (strcol("experiment") eq "chunksize" ? column("chunksize") : NaN) \
	nooutput name "C"
stats csv using (strcol("experiment") eq "chunksize" ? column("items") : NaN) \
	nooutput name "N"
on(v) = strcol("experiment") eq "chunksize" && column("workers") == W_min ? v : NaN

set title sprintf("pool: µs per task of one map of %d empty tasks, by chunksize\n%d workers, median of %s runs", \
	int(N_max), int(W_min), meta("repeat"))
set xlabel "chunksize (tasks handed out at once)"
set ylabel "µs per task"
set logscale xy
set xrange [C_min / 1.5:C_max * 1.5]
set yrange [U_min / 2:U_max * 2]
set format x "%.0f"

plot for [m in models] where("model", m) \
		using (on(column("chunksize"))):(on(column("map_us_per_task"))) \
		smooth unique with linespoints @MODEL title m
