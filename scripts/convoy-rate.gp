# convoy-rate.gp - the I/O worker's round trips per second vs the CPU
# workers beside it (0: alone), one line per model, log y: under gil and
# py-thread the rate collapses beside one CPU worker, one line per switch
# interval (solid the longest, dashed the shorter ones)
# csv: convoy.summary.csv
# text: model
# numeric: workers rt_per_sec
# optional: switch_interval_s

stats csv using (column("workers")) nooutput name "W"
stats csv using (column("rt_per_sec")) nooutput name "R"
# the switch intervals swept, longest first
ivs = has_switch_interval_s ? system("CSV_COLUMN=switch_interval_s awk -v mode=values -f csv.awk ".csv." | grep . | sort -gr | tr '\\n' ' '") : ""
ms(iv) = sprintf("%g ms", iv * 1000)
swept(m) = m eq "gil" || m eq "py-thread"
# the rate of a row at interval iv, a word of ivs ("": no interval), or NaN
iv_of(dummy) = has_switch_interval_s ? strcol("switch_interval_s") : ""
rate(iv) = (iv eq "" ? iv_of(0) eq "" : \
	    iv_of(0) ne "" && column("switch_interval_s") == real(iv)) ? \
	   column("rt_per_sec") : NaN

set title sprintf("convoy: an I/O worker's round trips beside CPU-bound workers\nround trips for %s a run, the echo after %s, median of %s runs", \
	meta("duration"), meta("latency"), meta("repeat"))
set xlabel "CPU-bound workers beside the I/O worker (0: alone)"
set ylabel "round trips per second (log)"
set logscale y
set xrange [-0.2:W_max + 0.2]
set yrange [R_min / 3:R_max * 3]
set xtics 1, 1
set xtics add ("alone" 0)

# one line per model, and per interval for gil and py-thread: "model@interval"
series = ""
do for [m in models] {
	if (swept(m) && words(ivs) > 0) {
		do for [iv in ivs] { series = series." ".m."@".iv }
	} else {
		series = series." ".m."@"
	}
}
model_of(s) = s[1:strstrt(s, "@") - 1]
iv_in(s) = s[strstrt(s, "@") + 1:]
# solid for the longest interval (or none), dashed shorter and shorter
dash(s) = iv_in(s) eq "" ? 1 : 1 + words(ivs) - words(substr(ivs, strstrt(ivs, iv_in(s)), strlen(ivs)))

plot for [s in series] where("model", model_of(s)) \
		using (column("workers")):(rate(iv_in(s))) \
		smooth unique with linespoints \
		lc rgb model_color(model_of(s)) pt model_point(model_of(s)) \
		ps (3.5 * pscale) lw 3 dt dash(s) \
		title (iv_in(s) eq "" ? model_of(s) : sprintf("%s, %s", model_of(s), ms(real(iv_in(s)))))
