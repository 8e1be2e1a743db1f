# download-time.gp - total time vs workers for the I/O-bound download on
# log-log axes (the worker counts double, the time halves): one line per
# model through the medians, error bars from the fastest to the slowest
# run, sequential across the chart as the time to beat, and the ideal
# ceil(tasks / workers) x latency drawn over the data when the CSV gives it
# csv: download.summary.csv
# text: model
# numeric: workers median_s min_s max_s
# optional: ideal_s

stats csv using (column("workers")) nooutput name "W"
stats csv using (column("max_s")) nooutput name "T"
stats csv using (column("min_s")) nooutput name "TMIN"
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
low = TMIN_min * scale
if (has_ideal_s) {
	stats csv using (column("ideal_s")) nooutput name "IDEAL"
	low = IDEAL_min * scale < low ? IDEAL_min * scale : low
}

set title sprintf("download (I/O-bound): total time, median and min–max\n%s downloads%s, %s runs each", \
	meta("tasks"), meta("latency") eq "" ? "" : sprintf(", %s latency each", meta("latency")), \
	meta("repeat"))
set xlabel "workers (log scale)"
set ylabel sprintf("total time (%s, log scale)", unit)
set logscale xy 2
set logscale y 10
set format y "%g"
set xrange [W_min / 1.4:W_max * 1.4]
set yrange [low / 1.6:T_max * scale * 1.6]
set xtics (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)

plot (seq > 0 ? seq : NaN) lc rgb model_color("sequential") dt 3 lw 2 \
		title (seq > 0 ? "sequential" : ""), \
	for [m in parallel] where("model", m) \
		using (column("workers")):(column("median_s") * scale): \
		      (column("min_s") * scale):(column("max_s") * scale) \
		with yerrorbars lc rgb model_color(m) lw 2.5 ps 0 notitle, \
	for [m in parallel] where("model", m) \
		using (column("workers")):(column("median_s") * scale) \
		smooth unique with linespoints @MODEL title m, \
	(has_ideal_s ? csv : "< true") \
		using (column("workers")):(column("ideal_s") * scale) \
		smooth unique with lines lc rgb "#000000" dt (12, 8) lw 3 title "ideal"
