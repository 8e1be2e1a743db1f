# memory.gp - what one worker costs in memory (KiB: growth of PSS + page
# tables of pvt and its workers together, per worker) against the number
# of workers, idle (solid) and after each wrote --touch bytes (dashed),
# one colour per model
# csv: memory.summary.csv
# text: model phase
# numeric: workers cost_kib

stats csv using (column("workers")) nooutput name "W"
stats csv using (column("cost_kib")) nooutput name "C"
# the rows of one model in one phase (where() on two columns)
rows(m, p) = where("model", m).sprintf(" | CSV_COLUMN='phase' CSV_VALUE='%s' awk -v mode=where -f csv.awk", p)

set title sprintf("memory: KiB per worker (PSS + page tables, system-wide)\nidle, then after each worker writes %s", \
	meta("touch"))
set xlabel "workers (log scale)"
set ylabel "KiB per worker (log scale)"
set logscale xy
set format y "%g"
set xrange [W_min / 1.5:W_max * 1.5]
set yrange [(C_min > 0 ? C_min : 1) / 2:C_max * 2]
set xtics (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096)

plot for [m in models] rows(m, "idle") \
		using (column("workers")):(column("cost_kib")) \
		with linespoints @MODEL title m." idle", \
	for [m in models] rows(m, "touched") \
		using (column("workers")):(column("cost_kib")) \
		with linespoints @MODEL dt 2 title m." after writing"
