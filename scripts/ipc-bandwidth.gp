# ipc-bandwidth.gp - MB/s from one worker to another against the message
# size, one line per channel: pipe, socketpair and the shared-memory ring
# between processes (solid), the queue and the lock-free ring between
# threads (dashed), and two Open MPI ranks (dash-dotted), one line per
# host count they ran on
# csv: ipc.summary.csv
# text: test channel model
# numeric: msg_bytes median_mbps
# optional: hosts

stats csv using (strcol("test") eq "bandwidth" ? column("msg_bytes") : NaN) nooutput name "S"
stats csv using (column("median_mbps")) nooutput name "B"
# pvt's own channels, then the mpi ranks' host counts
channels = system("CSV_COLUMN=channel awk -v mode=values -f csv.awk ".csv." | grep -vx mpi | tr '\\n' ' '")
# (a file from before the mpi channel has no hosts column, and no mpi)
mpi_hosts = has_hosts ? system("CSV_COLUMN=channel CSV_VALUE=mpi awk -v mode=where -f csv.awk ".csv. \
	" | CSV_COLUMN=hosts awk -v mode=values -f csv.awk | grep . | tr '\\n' ' '") : ""
chan_color(c) = c eq "pipe" ? "#0072B2" : c eq "socketpair" ? "#56B4E9" : \
	c eq "shm-ring" ? "#009E73" : c eq "queue" ? "#D55E00" : \
	c eq "spsc" ? "#E69F00" : "#777777"
chan_point(c) = c eq "pipe" ? 7 : c eq "socketpair" ? 5 : \
	c eq "shm-ring" ? 9 : c eq "queue" ? 4 : 6
chan_dash(c) = c eq "queue" || c eq "spsc" ? 2 : 1
mpi_color(h) = h eq "1" ? "#CC79A7" : "#000000"
# the bandwidth rows of one channel (where() on two columns), of mpi on
# h hosts (on three)
rows(c) = where("channel", c)." | CSV_COLUMN='test' CSV_VALUE='bandwidth' awk -v mode=where -f csv.awk"
mpi_rows(h) = rows("mpi")." | CSV_COLUMN='hosts' CSV_VALUE='".h."' awk -v mode=where -f csv.awk"

set title sprintf("ipc: bandwidth between two workers, MB/s (10^6 bytes/s)\n%s per run, every byte checked, median of %s runs", \
	meta("bytes"), meta("repeat"))
set xlabel "message size (bytes, log scale)"
set ylabel "MB/s (log scale)"
set logscale xy
set xtics ("16" 16, "64" 64, "256" 256, "1K" 1024, "4K" 4096, "16K" 16384, \
	"64K" 65536, "256K" 262144, "1M" 1048576, "4M" 4194304, "16M" 16777216)
set format y "%g"
set xrange [S_min / 1.5:S_max * 1.5]
set yrange [B_min / 2:B_max * 2]

# pvt's channels, the ranks' lines: each part only where measured (a
# plot's for over nothing still draws once)
CHANS = "for [c in channels] rows(c) using (column('msg_bytes')):(column('median_mbps')) smooth unique with linespoints lc rgb chan_color(c) pt chan_point(c) ps (3.5 * pscale) lw 3 dt chan_dash(c) title sprintf('%s (%s)', c, c eq 'queue' || c eq 'spsc' ? 'threads' : 'processes')"
MPIS = "for [h in mpi_hosts] mpi_rows(h) using (column('msg_bytes')):(column('median_mbps')) smooth unique with linespoints lc rgb mpi_color(h) pt 11 ps (3.5 * pscale) lw 3 dt 4 title sprintf('mpi, %s host%s (ranks)', h, h eq '1' ? '' : 's')"
if (words(channels) == 0) CHANS = ""
if (words(mpi_hosts) == 0) MPIS = ""
SEP = CHANS ne "" && MPIS ne "" ? "," : ""
plot @CHANS @SEP @MPIS
