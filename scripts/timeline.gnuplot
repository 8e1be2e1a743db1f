# timeline.gnuplot - the per-task timeline of a NAME.timeline.csv, loaded
# by scripts/NAME-timeline.gp: one panel per model, one row per worker,
# time on one shared axis. Light bars are tasks; solid bars are the time a
# gil worker held the lock; hatched bars are time spent waiting on I/O.
# Drawn for one worker count: the core count when it was run, else the
# largest; the sequential baselines beside it.

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
stats csv using (column("end_s")) nooutput name "T"
n = words(shown)

at(m, k) = (strcol("kind") eq k && column("workers") == picked(m))
mid(m, k) = at(m, k) ? (column("start_s") + column("end_s")) / 2 : NaN
half(x) = (column("end_s") - column("start_s")) / 2

set multiplot layout n, 1 \
	title sprintf("%s: which worker ran what, and when (%d workers%s)\nlight: tasks · solid: holding the GIL · hatched: waiting on I/O", \
		meta("scenario"), W, cores == W ? sprintf(" on %d cores", cores) : "") \
	font font(26) margins 0.13, 0.97, 0.2, 0.88 spacing 0, 0.04
unset key
set xrange [0:T_max * 1.01]
set format x ""
set grid xtics
do for [i = 1:n] {
	m = word(shown, i)
	wn = picked(m)
	set yrange [-0.6:wn - 0.4]
	set ytics 1
	if (wn > 8) { set ytics wn / 4 }
	set ylabel m font font(18) offset 1, 0
	if (i == n) {
		set format x "%g"
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
