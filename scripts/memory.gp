# memory.gp - what one worker costs in memory (KiB per worker: growth of
# PSS + page tables of pvt and its workers together) against the number
# of workers, one colour per model, on linear axes from 0 (a thread's 0
# stays on the chart): idle on the left, after each worker wrote --touch
# bytes on the right, each panel on its own scale
# csv: memory.summary.csv (medians: memory.csv has every run)
# text: model phase
# numeric: workers cost_kib

stats csv using (column("workers")) nooutput name "W"
# the rows of one model in one phase (where() on two columns)
rows(m, p) = where("model", m).sprintf(" | CSV_COLUMN='phase' CSV_VALUE='%s' awk -v mode=where -f csv.awk", p)
# the largest cost of a phase, for its panel's scale
top(p) = system(sprintf("CSV_COLUMN='phase' CSV_VALUE='%s' awk -v mode=where -f csv.awk %s | awk -F, -v c=cost_kib 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) k = i; next } $k > m { m = $k } END { print m + 0 }'", p, csv)) + 0

set multiplot layout 1, 2 title sprintf("memory: KiB per worker (PSS + page tables, system-wide)\nleft: idle · right: after each worker writes %s", meta("touch")) font font(26) margins 0.1, 0.8, 0.2, 0.8 spacing 0.08, 0
set xlabel "workers (log scale)"
set logscale x
set xrange [W_min / 1.5:W_max * 1.5]
set xtics (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096)
set format y "%g"
set key off
do for [p in "idle touched"] {
	T = top(p)
	set yrange [0:(T > 0 ? T : 1) * 1.3]
	set ylabel (p eq "idle" ? "KiB per worker" : "")
	set title (p eq "idle" ? "idle" : "after writing") font font(22)
	if (p eq "touched") { set key at screen 0.99, graph 1 right top }
	plot for [m in models] rows(m, p) \
			using (column("workers")):(column("cost_kib")) \
			with linespoints @MODEL title m, \
		for [m in models] rows(m, p) \
			using (column("workers")):(column("cost_kib")):(sprintf("%.0f", column("cost_kib"))) \
			with labels offset char 0, char 1.3 \
			font font(16) textcolor rgb model_color(m) notitle
}
unset multiplot
