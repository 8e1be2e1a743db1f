# pool.gp - µs per task as the task count grows: a pool (created, mapped,
# closed and joined) against a worker created and joined per task, one
# pair of lines per model, log-log; where the lines part, the pool wins
# csv: pool.summary.csv
# text: model experiment method
# numeric: workers items us_per_task

# the overhead rows at the smallest worker count swept
stats csv using (strcol("experiment") eq "overhead" ? column("workers") : NaN) \
	nooutput name "W"
stats csv using (strcol("experiment") eq "overhead" && column("workers") == W_min ? \
	column("us_per_task") : NaN) nooutput name "U"
stats csv using (strcol("experiment") eq "overhead" ? column("items") : NaN) \
	nooutput name "N"
on(v) = column("workers") == W_min ? v : NaN
# the overhead rows of model m and method k (pool or spawn), header kept
rows(m, k) = sprintf("%s | CSV_COLUMN='experiment' CSV_VALUE='overhead' awk -v mode=where -f csv.awk | CSV_COLUMN='method' CSV_VALUE='%s' awk -v mode=where -f csv.awk", \
	where("model", m), k)

set title sprintf("pool: µs per empty task, a pool of %d against a worker per task\nchunksize 1, pool timed from create to join, median of %s runs", \
	int(W_min), meta("repeat"))
set xlabel "tasks (items mapped)"
set ylabel "µs per task"
set logscale xy
set xrange [N_min / 1.5:N_max * 1.5]
set yrange [U_min / 2:U_max * 2]
set format x "%.0f"

plot for [m in models] rows(m, "pool") \
		using (on(column("items"))):(on(column("us_per_task"))) \
		smooth unique with linespoints @MODEL title m." pool", \
	for [m in models] rows(m, "spawn") \
		using (on(column("items"))):(on(column("us_per_task"))) \
		smooth unique with linespoints lc rgb model_color(m) pt model_point(m) \
		ps (2.5 * pscale) lw 3 dt 2 title m." per task"
