# race.gp - correctness against cost: the share of increments lost (median)
# against the run's time (median, bars from the fastest to the slowest
# run, log scale), one point per model and method: no lock loses updates
# fast, a mutex and atomics lose none and take longer
# csv: race.summary.csv
# text: model method
# numeric: workers median_s min_s max_s lost_pct_median

stats csv using (column("max_s")) nooutput name "T"
stats csv using (column("min_s")) nooutput name "TMIN"
stats csv using (column("lost_pct_median")) nooutput name "L"
stats csv using (column("workers")) nooutput name "W"
# milliseconds, or seconds when the slowest run took over ten
unit = T_max > 10 ? "s" : "ms"
scale = T_max > 10 ? 1 : 1000
# a point's label: its method, and its worker count when several were run
label(w) = W_min == W_max ? strcol("method") : sprintf("%s ×%d", strcol("method"), w)

set title sprintf("race: updates lost against time\neach worker adds 1 to one shared counter %s times, median of %s runs", \
	meta("increments"), meta("repeat"))
set xlabel sprintf("time for the whole run (%s, log scale; bars: fastest to slowest)", unit)
set ylabel "updates lost (% of expected)"
set logscale x
set xrange [TMIN_min * scale / 2:T_max * scale * 3]
ytop = L_max > 5 ? L_max * 1.25 : 10
set yrange [-ytop * 0.12:ytop]
# tics from 0 up, a round step: no negative share lost on the axis
e = 10 ** floor(log10(ytop / 6.0))
r = ytop / 6.0 / e
set ytics 0, (r < 2 ? 2 : r < 5 ? 5 : 10) * e
set format x "%g"
set arrow 1 from graph 0, first 0 to graph 1, first 0 nohead lc rgb "#555555" dt 2 lw 1.5
set label 2 "nothing lost" at graph 0.99, first 0 right offset 0, char 0.8 textcolor rgb "#555555" font font(18)

plot for [m in models] where("model", m) \
		using (column("median_s") * scale):(column("lost_pct_median")): \
		      (column("min_s") * scale):(column("max_s") * scale) \
		with xerrorbars lc rgb model_color(m) lw 2.5 ps 0 notitle, \
	for [m in models] where("model", m) \
		using (column("median_s") * scale):(column("lost_pct_median")) \
		with points @MODEL title m, \
	for [m in models] where("model", m) \
		using (column("median_s") * scale):(column("lost_pct_median")): \
		      (label(column("workers"))) \
		with labels left offset char 1.2, char (m eq "thread" ? -1 : 1) \
		font font(18) textcolor rgb model_color(m) notitle
