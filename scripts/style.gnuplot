# style.gnuplot - the look every chart shares, loaded by scripts/plot
# before a chart's scripts/NAME.gp: terminal and output, large fonts for a
# projector, one fixed colour and point shape per model (Okabe-Ito, safe
# for colour-blind readers), the footer naming the machine, and helpers
# that read columns by name.
#
# Defined before it by scripts/plot: scripts (this folder, for charts
# that load a shared part), fmt ("png" or "svg"), chart (the
# output name, no extension), csv (the checked CSV, a plain file name in
# the current folder), meta_KEY (the CSV's "# KEY: value" lines), models
# (the model column's values, in the order below) and has_COLUMN (0 or 1,
# for the columns a chart lists as optional).

# The svg terminal's text comes out 3/4 the size of pngcairo's for the
# same font size: font(N) gives N points as pngcairo draws them, on both.
fscale = fmt eq "svg" ? 4.0 / 3 : 1
font(n) = sprintf("Sans,%d", int(n * fscale + 0.5))
if (fmt eq "svg") {
	set terminal svg size 1600,900 font font(24) linewidth 2 \
		background "#ffffff" noenhanced
} else {
	set terminal pngcairo size 1600,900 font font(24) linewidth 2 \
		background "#ffffff" noenhanced
}
set encoding utf8
set output chart.".".fmt

set datafile separator comma
set datafile columnheaders

# One colour, shape and dash per model on every chart, told apart on a
# projector and in greyscale. Okabe-Ito (safe for colour-blind readers):
# the process models blue (C) and bluish green (Python), the thread
# models vermillion (C) and orange (Python), the GIL reddish purple, the
# sequential baselines black (C) and dark grey (Python), mpi sky blue
# and mpi-thread purple. The Python models are dashed, so that each pair
# differs in hue, grey level, dash and shape.
model_color(m) = \
	m eq "sequential"    ? "#000000" : \
	m eq "process"       ? "#0072B2" : \
	m eq "thread"        ? "#D55E00" : \
	m eq "gil"           ? "#CC79A7" : \
	m eq "py-sequential" ? "#505050" : \
	m eq "py-process"    ? "#009E73" : \
	m eq "py-thread"     ? "#E69F00" : \
	m eq "mpi"           ? "#56B4E9" : \
	m eq "mpi-thread"    ? "#7B3294" : "#777777"
# dash: 1 solid (C), 2 dashed (Python), 4 dash-dotted (MPI)
model_dash(m) = strstrt(m, "py-") == 1 ? 2 : strstrt(m, "mpi") == 1 ? 4 : 1
# Filled shapes for the process models, hollow ones for the thread
# models, so that a line hidden under another still shows its points.
model_point(m) = \
	m eq "sequential"    ? 13 : \
	m eq "process"       ? 7 : \
	m eq "thread"        ? 4 : \
	m eq "gil"           ? 8 : \
	m eq "py-sequential" ? 12 : \
	m eq "py-process"    ? 5 : \
	m eq "py-thread"     ? 10 : \
	m eq "mpi"           ? 11 : \
	m eq "mpi-thread"    ? 6 : 1
# svg draws points 2.5 times as large as pngcairo (and with a thin
# outline, which scripts/plot thickens)
pscale = fmt eq "svg" ? 0.4 : 1
# baseline(m): 1 for the models the others' speedup is measured against
baseline(m) = m eq "sequential" || m eq "py-sequential"
# use as: plot for [m in models] ... @MODEL title m
MODEL = "lc rgb model_color(m) pt model_point(m) ps (3.5 * pscale) lw 3 dt model_dash(m)"
# the ideal lines and other references
IDEAL = "lc rgb '#555555' dt 2 lw 2"

# where(COLUMN, VALUE): the rows whose COLUMN is VALUE, as a data source
#   plot where("model", m) using (column("workers")):(column("speedup"))
where(c, v) = strstrt(v, "'") ? "< true" : \
	sprintf("< CSV_COLUMN='%s' CSV_VALUE='%s' awk -v mode=where -f csv.awk %s", \
		c, v, csv)
# present(COLUMN): its distinct values, separated by spaces
present(c) = system(sprintf("CSV_COLUMN='%s' awk -v mode=values -f csv.awk %s | tr '\\n' ' '", c, csv))
# meta(KEY): a metadata value, or "" when the CSV has no such line
meta(k) = exists("meta_".k) ? value("meta_".k) : ""

# Footer: what ran where and when, from the CSV's own metadata.
footer = sprintf("%s%s%s%s", \
	meta("host") eq "" ? "" : meta("host")." · ", \
	meta("cpu_model") eq "" ? "" : meta("cpu_model"), \
	meta("cores") eq "" ? "" : ", ".meta("cores")." cores", \
	" · ".meta("kernel")." · pvt ".meta("pvt_version")." · ".meta("date"))
if (meta("interrupted") eq "yes") footer = footer."  (run interrupted)"
set label 1000 footer at screen 0.01, screen 0.03 left font font(16) \
	textcolor rgb "#555555"
set bmargin 5

set border 3 lw 1.5 lc rgb "#333333"
set tics nomirror out
set grid back lt 1 lc rgb "#e0e0e0" lw 1
# the legend right of the plot, where it never hides a line
set key outside right top reverse Left samplen 2.5 spacing 1.3
set title font font(28)
set offsets graph 0.02, graph 0.02, graph 0.05, 0
