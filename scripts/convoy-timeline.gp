# convoy-timeline.gp - the gil run beside one CPU worker at the longest
# switch interval, over its first intervals: after every blocking call
# the I/O worker (row 0) waits for the lock (red) until the CPU worker
# hands it over at its next switch, so each round trip costs intervals,
# not microseconds
# csv: convoy.timeline.csv
# text: model kind
# numeric: workers switch_interval_s worker start_s end_s

stats csv using (column("switch_interval_s")) nooutput name "IV"
stats csv using (column("workers")) nooutput name "CW"
iv = IV_max
cw = CW_min
n = cw + 2
# twelve intervals from the moment the I/O worker first waited on I/O
stats csv using ((column("workers") == cw && column("switch_interval_s") == iv && \
	column("worker") == 0 && strcol("kind") eq "wait") ? column("start_s") : NaN) nooutput name "IO"
t0 = IO_min
t1 = t0 + 12 * iv

at(k) = strcol("model") eq "gil" && strcol("kind") eq k && column("workers") == cw && \
	column("switch_interval_s") == iv && column("end_s") >= t0 && column("start_s") <= t1
ms(t) = (t - t0) * 1000
mid(k) = at(k) ? (ms(column("start_s")) + ms(column("end_s"))) / 2 : NaN
half(x) = (ms(column("end_s")) - ms(column("start_s"))) / 2
name(w) = w == 0 ? "I/O worker" : w == 1 ? "echo peer (no GIL)" : sprintf("CPU worker %d", w - 1)

set title sprintf("convoy under gil beside %d CPU worker%s, switch interval %g ms\nsolid: holds the GIL · red: waits for it · hatched: blocked in I/O", \
	cw, cw == 1 ? "" : "s", iv * 1000)
set xlabel "milliseconds since the I/O worker's first round trip"
set xrange [0:12 * iv * 1000]
set yrange [n - 0.5:-0.5]
set ytics ()
do for [w = 0:n - 1] { set ytics add (name(w) w) }
set grid xtics
unset key

plot csv using (mid("gil-held")):(column("worker")):(half(0)):(0.35) \
		with boxxyerror fs solid 1 noborder lc rgb model_color("gil"), \
	csv using (mid("gil-wait")):(column("worker")):(half(0)):(0.2) \
		with boxxyerror fs solid 1 noborder lc rgb "#D62728", \
	csv using (mid("wait")):(column("worker")):(half(0)):(0.35) \
		with boxxyerror fs pattern 4 border lc rgb "#333333" lc rgb "#555555"
