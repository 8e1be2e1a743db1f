# ipc-latency.gp - µs per round trip of an 8-byte message: over two pipes
# (two context switches), processes against threads, pinned to one CPU
# and unpinned, with what the four pipe calls cost on their own marked;
# over two lock-free rings between threads (shared memory, no kernel);
# between two Open MPI ranks on one host and across hosts, where measured
# csv: ipc.summary.csv
# text: test model channel
# numeric: pinned median_rtt_us min_rtt_us max_rtt_us pipe_overhead_us
# optional: hosts

stats csv using (column("max_rtt_us")) nooutput name "R"
stats csv using (column("pipe_overhead_us")) nooutput name "P"
# the latency rows of channel c (a file from before spsc's and mpi's
# round trips has neither, nor a hosts column)
latency(c) = sprintf("CSV_COLUMN=test CSV_VALUE=latency awk -v mode=where -f csv.awk %s | CSV_COLUMN=channel CSV_VALUE=%s awk -v mode=where -f csv.awk", csv, c)
spsc = int(system(latency("spsc")." | tail -n +2 | grep -c . || true")) > 0
mpi_max = has_hosts ? int(system(latency("mpi")." | CSV_COLUMN=hosts awk -v mode=values -f csv.awk | sort -n | tail -n 1 | grep . || echo 0")) : 0
lat(v) = strcol("test") eq "latency" ? v : NaN
# x: 0, 1 pinned process, thread; 3, 4 unpinned; 5 spsc (threads);
# 6, 7 mpi on 1 and 2 hosts
xpos(m, c, p, h) = c eq "spsc" ? 5 : c eq "mpi" ? 5 + h : \
	(p == 1 ? 0 : 3) + (m eq "thread" ? 1 : 0)
x_of(m) = lat(xpos(m, strcol("channel"), column("pinned"), \
	has_hosts ? column("hosts") : 1))
right = mpi_max > 0 ? 5 + mpi_max : spsc ? 5 : 4

set title sprintf("ipc: ping-pong of an 8-byte message, µs per round trip\n%s round trips, median of %s runs (bars: fastest to slowest)", \
	meta("rounds"), meta("repeat"))
set ylabel "µs per round trip"
set yrange [0:R_max * 1.3]
set xrange [-0.8:right + 0.8]
set xtics ("pipes,\npinned to one CPU" 0.5, "pipes,\nunpinned" 3.5) scale 0
if (spsc) set xtics add ("spsc\nrings" 5)
if (mpi_max >= 1) set xtics add ("mpi,\n1 host" 6)
if (mpi_max >= 2) set xtics add ("mpi,\n2 hosts" 7)
set style fill solid 0.85 border lc rgb "#333333"
set boxwidth 0.8
set bmargin 7
set arrow 1 from -0.8, first 2 * P_max to 4.8, first 2 * P_max nohead front lc rgb "#333333" dt 2 lw 2
set xlabel sprintf("dashed: a pipe round trip's four calls made in one thread, %.2f µs", 2 * P_max) font font(18) offset 0, -0.5

# model, channel and colour of each kind of bar (the spsc and mpi ones
# only where measured)
m_of(i) = word("process thread thread mpi", i)
c_of(i) = word("pipe pipe spsc mpi", i)
col_of(i) = i == 3 ? "#E69F00" : model_color(m_of(i))
title_of(i) = i == 3 ? "thread (spsc)" : i == 4 ? "mpi ranks" : m_of(i)
kinds = "1 2".(spsc ? " 3" : "").(mpi_max > 0 ? " 4" : "")

plot for [k in kinds] where("model", m_of(i = int(k))) \
		using (c = c_of(i), m = m_of(i), strcol("channel") eq c ? x_of(m) : NaN): \
		      (lat(column("median_rtt_us"))) \
		with boxes lc rgb col_of(i) title title_of(i), \
	for [k in kinds] where("model", m_of(i = int(k))) \
		using (c = c_of(i), m = m_of(i), strcol("channel") eq c ? x_of(m) : NaN): \
		      (lat(column("median_rtt_us"))):(lat(column("min_rtt_us"))): \
		      (lat(column("max_rtt_us"))) \
		with yerrorbars lc rgb "#333333" lw 2 ps 0 notitle, \
	for [k in kinds] where("model", m_of(i = int(k))) \
		using (c = c_of(i), m = m_of(i), strcol("channel") eq c ? x_of(m) : NaN): \
		      (lat(column("max_rtt_us"))):(sprintf("%.1f", column("median_rtt_us"))) \
		with labels offset 0, char 1 font font(20) notitle
