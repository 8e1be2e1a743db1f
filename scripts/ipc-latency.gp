# ipc-latency.gp - µs per round trip of one byte over two pipes (two
# context switches): processes against threads, both pinned to one CPU and
# unpinned, with what the four pipe calls cost on their own marked
# csv: ipc.summary.csv
# text: test model
# numeric: pinned median_rtt_us min_rtt_us max_rtt_us pipe_overhead_us

stats csv using (column("max_rtt_us")) nooutput name "R"
stats csv using (column("pipe_overhead_us")) nooutput name "P"
lat(v) = strcol("test") eq "latency" ? v : NaN
# x: 0, 1 pinned process, thread; 3, 4 unpinned
xpos(m, p) = (p == 1 ? 0 : 3) + (m eq "thread" ? 1 : 0)

set title sprintf("ipc: ping-pong over two pipes, µs per round trip\n%s round trips, median of %s runs (bars: fastest to slowest)", \
	meta("rounds"), meta("repeat"))
set ylabel "µs per round trip"
set yrange [0:R_max * 1.3]
set xrange [-0.8:4.8]
set xtics ("pinned to one CPU" 0.5, "unpinned" 3.5) scale 0
set style fill solid 0.85 border lc rgb "#333333"
set boxwidth 0.8
set arrow 1 from graph 0, first 2 * P_max to graph 1, first 2 * P_max nohead front lc rgb "#333333" dt 2 lw 2
set xlabel sprintf("dashed: the round trip's four pipe calls made in one thread, %.2f µs", 2 * P_max) font font(18)

plot for [m in "process thread"] where("model", m) \
		using (lat(xpos(m, column("pinned")))):(lat(column("median_rtt_us"))) \
		with boxes lc rgb model_color(m) title m, \
	for [m in "process thread"] where("model", m) \
		using (lat(xpos(m, column("pinned")))):(lat(column("median_rtt_us"))): \
		      (lat(column("min_rtt_us"))):(lat(column("max_rtt_us"))) \
		with yerrorbars lc rgb "#333333" lw 2 ps 0 notitle, \
	for [m in "process thread"] where("model", m) \
		using (lat(xpos(m, column("pinned")))):(lat(column("max_rtt_us"))): \
		      (sprintf("%.1f", column("median_rtt_us"))) \
		with labels offset 0, char 1 font font(20) notitle
