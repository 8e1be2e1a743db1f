# square-speedup.gp - speedup vs workers, one line per parallel model
# (C models over sequential, Python ones over py-sequential), the ideal
# (speedup = workers) and the core count marked
# csv: square.summary.csv
# text: model
# numeric: workers speedup

stats csv using (column("workers")) nooutput name "W"
stats csv using (column("speedup")) nooutput name "S"
cores = meta("cores") eq "" ? 0 : int(meta("cores"))
parallel = ""
do for [m in models] { if (!baseline(m)) { parallel = parallel." ".m } }
python = strstrt(models, "py-") > 0
# the y range: the best speedup, or as far as the ideal goes on this
# machine (the core count), whichever is higher
reach = cores > 0 && cores < W_max ? cores : W_max

set title sprintf("square (CPU-bound): speedup over sequential%s\n%s tasks, %s, median of %s runs", \
	python ? " (py-*: over py-sequential)" : "", \
	meta("tasks"), meta("size"), meta("repeat"))
set xlabel "workers"
set ylabel "speedup (× sequential)"
set xrange [0:W_max * 1.05]
set yrange [0:(S_max > reach ? S_max : reach) * 1.2]
if (W_max <= 16) { set xtics 1, 1 }
if (cores > 0 && cores <= W_max) {
	set arrow 1 from cores, graph 0 to cores, graph 1 nohead lc rgb "#555555" dt 3 lw 2
	set label 1 sprintf("%d cores", cores) at cores, graph 0.04 left offset char 0.5, 0
} else { if (cores > 0) {
	set label 1 sprintf("%d cores: beyond the right edge", cores) at graph 0.98, graph 0.04 right
} }

plot x @IDEAL title "ideal", \
	1 lc rgb model_color("sequential") dt 3 lw 2 title "sequential", \
	for [m in parallel] where("model", m) \
		using (column("workers")):(column("speedup")) \
		smooth unique with linespoints @MODEL title m
