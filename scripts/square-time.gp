# square-time.gp - wall time vs workers, one line per model through the
# medians, error bars from the fastest to the slowest run; the sequential
# runs drawn across the chart as the times to beat
# csv: square.summary.csv
# text: model
# numeric: workers median_s min_s max_s

stats csv using (column("workers")) nooutput name "W"
stats csv using (column("max_s")) nooutput name "T"
stats csv using (column("min_s")) nooutput name "TMIN"
# seconds, or milliseconds when every run took under one second
unit = T_max < 1 ? "ms" : "s"
scale = T_max < 1 ? 1000 : 1
# a log scale when the models' times are far apart (C and Python)
logy = TMIN_min > 0 && T_max / TMIN_min > 20
parallel = ""
do for [m in models] { if (!baseline(m)) { parallel = parallel." ".m } }
# the baselines' medians, drawn as flat lines
array base[2] = [NaN, NaN]
do for [i = 1:2] {
	b = word("sequential py-sequential", i)
	if (strstrt(" ".models." ", " ".b." ")) {
		stats where("model", b) using (column("median_s")) nooutput name "B"
		base[i] = B_median * scale
	}
}
# the Python models run their own size (--py-size)
py = ""
do for [m in models] { if (strstrt(m, "py-") == 1) { py = m } }
python = py ne ""
if (python) {
	stats where("model", py) using (column("size")) nooutput name "PY"
}

set title sprintf("square (CPU-bound): wall time, median and min–max\n%s tasks, %s%s, %s runs each", \
	meta("tasks"), meta("size"), \
	python ? sprintf(" (py-*: %d per task)", PY_max) : "", meta("repeat"))
set xlabel "workers"
set xrange [0:W_max * 1.05]
if (logy) {
	set logscale y
	set ylabel sprintf("wall time (%s, log scale)", unit)
	set yrange [TMIN_min * scale / 1.5:T_max * scale * 1.5]
	set format y "%g"
} else {
	set ylabel sprintf("wall time (%s)", unit)
	set yrange [0:T_max * scale * 1.15]
}
if (W_max <= 16) { set xtics 1, 1 }
cores = meta("cores") eq "" ? 0 : int(meta("cores"))
if (cores > 0 && cores <= W_max) {
	set arrow 1 from cores, graph 0 to cores, graph 1 nohead lc rgb "#555555" dt 3 lw 2
	set label 1 sprintf("%d cores", cores) at cores, graph 0.96 left offset char 0.5, 0
}

plot for [i = 1:2] (base[i]) lc rgb model_color(word("sequential py-sequential", i)) dt 3 lw 2 \
		title (base[i] == base[i] ? word("sequential py-sequential", i) : ""), \
	for [m in parallel] where("model", m) \
		using (column("workers")):(column("median_s") * scale): \
		      (column("min_s") * scale):(column("max_s") * scale) \
		with yerrorbars lc rgb model_color(m) lw 2.5 ps 0 notitle, \
	for [m in parallel] where("model", m) \
		using (column("workers")):(column("median_s") * scale) \
		smooth unique with linespoints @MODEL title m
