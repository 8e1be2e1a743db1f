# square-time.gp - time per integer squared (ns, median; bars from the
# fastest to the slowest run) vs workers, one line per model: the C and
# Python models run different task sizes (--size, --py-size), so each is
# drawn per integer, where Python's distance from C is its real one; the
# sequential runs drawn across the chart as the times to beat
# csv: square.summary.csv
# text: model
# numeric: workers tasks size median_s min_s max_s

# ns per integer: a row's seconds over tasks x size
per(c) = column(c) / (column("tasks") * column("size")) * 1e9
stats csv using (column("workers")) nooutput name "W"
stats csv using (per("max_s")) nooutput name "T"
stats csv using (per("min_s")) nooutput name "TMIN"
# a log scale when the models' times are far apart (C and Python)
logy = TMIN_min > 0 && T_max / TMIN_min > 20
parallel = ""
do for [m in models] { if (!baseline(m)) { parallel = parallel." ".m } }
# the baselines' medians, drawn as flat lines
array base[2] = [NaN, NaN]
do for [i = 1:2] {
	b = word("sequential py-sequential", i)
	if (strstrt(" ".models." ", " ".b." ")) {
		stats where("model", b) using (per("median_s")) nooutput name "B"
		base[i] = B_median
	}
}
# the Python models run their own size (--py-size)
py = ""
do for [m in models] { if (strstrt(m, "py-") == 1) { py = m } }
python = py ne ""
if (python) {
	stats where("model", py) using (column("size")) nooutput name "PY"
}

set title sprintf("square (CPU-bound): time per integer squared, median and min–max\n%s tasks of %s%s, %s runs each", \
	meta("tasks"), meta("size"), \
	python ? sprintf(" (py-*: %d)", PY_max) : "", meta("repeat"))
set xlabel "workers"
set xrange [0:W_max * 1.05]
if (logy) {
	set logscale y
	set ylabel "ns per integer (log scale)"
	set yrange [TMIN_min / 1.5:T_max * 1.5]
	set format y "%g"
} else {
	set ylabel "ns per integer"
	set yrange [0:T_max * 1.15]
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
		using (column("workers")):(per("median_s")):(per("min_s")):(per("max_s")) \
		with yerrorbars lc rgb model_color(m) lw 2.5 ps 0 notitle, \
	for [m in parallel] where("model", m) \
		using (column("workers")):(per("median_s")) \
		smooth unique with linespoints @MODEL title m
