# race.gp - correctness against cost, as bars: on the left the share of
# increments lost (median) for each method, on the right what one
# increment took (ns, median), one bar per model, each with its value
# written above it (a bar of 0 is a 0, not a missing bar)
# csv: race.summary.csv
# text: model method
# numeric: workers lost_pct_median ns_per_increment

stats csv using (column("lost_pct_median")) nooutput name "L"
stats csv using (column("ns_per_increment")) nooutput name "NS"
methods = present("method")
counts = present("workers")
nW = words(counts)
nM = words(models)
# position of a word in a list of words, 0 when absent
idx(s, l) = sum [i = 1:words(l)] (word(l, i) eq s ? i : 0)
group(meth, w) = (idx(meth, methods) - 1) * nW + idx(sprintf("%d", w), counts)
bw = 0.8 / nM
x(m, meth, w) = group(meth, w) + (idx(m, models) - (nM + 1) / 2.0) * bw
ngroups = words(methods) * nW

set multiplot layout 1, 2 title sprintf("race: updates lost, and what one increment costs\neach worker adds 1 to one shared counter %s times, median of %s runs", \
	meta("increments"), meta("repeat")) font font(26) margins 0.09, 0.84, 0.2, 0.8 spacing 0.09, 0
set xrange [0.4:ngroups + 0.6]
set xtics () scale 0
do for [g = 1:ngroups] {
	meth = word(methods, (g - 1) / nW + 1)
	w = word(counts, (g - 1) % nW + 1)
	set xtics add ((nW > 1 ? sprintf("%s ×%s", meth, w) : meth) g)
}
set grid noxtics ytics
set style fill solid 0.85 noborder
set key off
set format y "%g"

set title "updates lost (% of expected)" font font(22)
set yrange [0:(L_max > 0 ? L_max * 1.3 : 10)]
if (L_max == 0) {
	set label 2 "no update was lost in any run" at graph 0.5, graph 0.6 center font font(20)
}
plot for [m in models] where("model", m) \
		using (x(m, strcol("method"), column("workers"))):(column("lost_pct_median")):(bw * 0.9) \
		with boxes lc rgb model_color(m) title m, \
	for [m in models] where("model", m) \
		using (x(m, strcol("method"), column("workers"))):(column("lost_pct_median")): \
		      (sprintf("%.3g", column("lost_pct_median"))) \
		with labels offset char 0, char 0.8 font font(16) textcolor rgb model_color(m) notitle
unset label 2

set title "ns per increment" font font(22)
set yrange [0:NS_max * 1.3]
set key at screen 0.99, graph 1 right top
plot for [m in models] where("model", m) \
		using (x(m, strcol("method"), column("workers"))):(column("ns_per_increment")):(bw * 0.9) \
		with boxes lc rgb model_color(m) title m, \
	for [m in models] where("model", m) \
		using (x(m, strcol("method"), column("workers"))):(column("ns_per_increment")): \
		      (sprintf("%.3g", column("ns_per_increment"))) \
		with labels offset char 0, char 0.8 font font(16) textcolor rgb model_color(m) notitle
unset multiplot
