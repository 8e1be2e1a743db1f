# timeline.gnuplot - the per-task timeline of a NAME.timeline.csv, loaded
# by scripts/NAME-timeline.gp: one panel per model, one row per worker,
# time on one shared axis. Light bars are tasks; solid bars are the time a
# gil worker held the lock; hatched bars are time spent waiting on I/O.
# Drawn for one worker count: the core count when it was run, else the
# largest; the sequential baselines beside it. The parallel models share
# one time axis, as long as the longest of their runs at that count; a
# baseline over twice as long has an axis of its own and says so.

counts = present("workers")
cores = meta("cores") eq "" ? 0 : int(meta("cores"))
W = 0
do for [i = 1:words(counts)] {
	w = int(word(counts, i))
	if (w == cores) { W = w }
}
if (W == 0) { do for [i = 1:words(counts)] { w = int(word(counts, i)); if (w > W) { W = w } } }

# the models drawn, and the time axis they share
shown = ""
do for [m in models] { shown = shown." ".m }
picked(m) = baseline(m) ? 1 : W
stats csv using (!baseline(strcol("model")) && column("workers") == W ? column("end_s") : NaN) nooutput name "T"
n = words(shown)
# the shared axis also covers a baseline not long enough for its own
span = T_max
do for [m in shown] {
	if (baseline(m)) {
		stats where("model", m) using (column("end_s")) nooutput name "B"
		if (B_max <= 2 * T_max && B_max > span) { span = B_max }
	}
}

at(m, k) = (strcol("kind") eq k && column("workers") == picked(m))
mid(m, k) = at(m, k) ? (column("start_s") + column("end_s")) / 2 : NaN
half(x) = (column("end_s") - column("start_s")) / 2

set multiplot layout n, 1 \
	title sprintf("%s: which worker ran what, and when (%d workers%s)\nlight: tasks · solid: holding the GIL · hatched: waiting on I/O", \
		meta("scenario"), W, cores == W ? sprintf(" on %d cores", cores) : "") \
	font font(26) margins 0.13, 0.97, 0.2, 0.88 spacing 0, 0.04
unset key
set format x ""
set grid xtics
do for [i = 1:n] {
	m = word(shown, i)
	wn = picked(m)
	set yrange [-0.6:wn - 0.4]
	set ytics 1
	if (wn > 8) { set ytics 0, wn / 4 }
	set ylabel m font font(18) offset 1, 0
	unset label 1
	own = 0
	if (baseline(m)) {
		stats where("model", m) using (column("end_s")) nooutput name "B"
		own = B_max > 2 * T_max
	}
	if (own) {
		set xrange [0:B_max * 1.01]
		set label 1 sprintf("its own time axis: %.3g s in all", B_max) at graph 0.99, graph 0.5 right front font font(16) textcolor rgb "#333333" boxed
		set format x (i == n ? "%g" : "")
	} else {
		set xrange [0:span * 1.01]
		set format x (i == n ? "%g" : "")
	}
	if (i == n) {
		set xlabel "seconds since the run started"
	}
	plot where("model", m) using (mid(m, "task")):(column("worker")):(half(0)):(0.38) \
		with boxxyerror fs solid 0.35 noborder lc rgb model_color(m), \
	     where("model", m) using (mid(m, "gil-held")):(column("worker")):(half(0)):(0.38) \
		with boxxyerror fs solid 1 noborder lc rgb model_color(m), \
	     where("model", m) using (mid(m, "wait")):(column("worker")):(half(0)):(0.2) \
		with boxxyerror fs pattern 4 border lc rgb "#333333"
}
unset multiplot
