# download-time.gp - total time vs workers for the I/O-bound download:
# one line per model through the medians, error bars from the fastest to
# the slowest run, sequential across the chart as the time to beat, and
# the ideal ceil(tasks / workers) x latency when the CSV gives it
# csv: download.summary.csv
# text: model
# numeric: workers median_s min_s max_s
# optional: ideal_s

stats csv using (column("workers")) nooutput name "W"
stats csv using (column("max_s")) nooutput name "T"
# seconds, or milliseconds when every run took under one second
unit = T_max < 1 ? "ms" : "s"
scale = T_max < 1 ? 1000 : 1
seq = 0
if (strstrt(" ".models." ", " sequential ")) {
	stats where("model", "sequential") using (column("median_s")) nooutput name "SEQ"
	seq = SEQ_median * scale
}
parallel = ""
do for [m in models] { if (m ne "sequential") { parallel = parallel." ".m } }

set title sprintf("download (I/O-bound): total time, median and min–max\n%s downloads%s, %s runs each", \
	meta("tasks"), meta("latency") eq "" ? "" : sprintf(", %s latency each", meta("latency")), \
	meta("repeat"))
set xlabel "workers"
set ylabel sprintf("total time (%s)", unit)
set xrange [0:W_max * 1.05]
set yrange [0:T_max * scale * 1.15]
if (W_max <= 16) { set xtics 1, 1 }

plot (seq > 0 ? seq : NaN) lc rgb model_color("sequential") dt 3 lw 2 \
		title (seq > 0 ? "sequential" : ""), \
	(has_ideal_s ? csv : "< true") \
		using (column("workers")):(column("ideal_s") * scale) \
		smooth unique with lines @IDEAL title "ideal", \
	for [m in parallel] where("model", m) \
		using (column("workers")):(column("median_s") * scale): \
		      (column("min_s") * scale):(column("max_s") * scale) \
		with yerrorbars lc rgb model_color(m) lw 2.5 ps 0 notitle, \
	for [m in parallel] where("model", m) \
		using (column("workers")):(column("median_s") * scale) \
		smooth unique with linespoints @MODEL title m
