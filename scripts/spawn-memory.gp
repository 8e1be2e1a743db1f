# spawn-memory.gp - µs per round trip (start a worker that does nothing,
# wait for it) against the parent's touched memory, one line per
# mechanism, bars from the fastest to the slowest run: fork climbs with
# the page tables it copies, vfork, posix_spawn and threads stay flat
# csv: spawn.summary.csv
# text: mech
# numeric: parent_mem_kib median_us min_us max_us

stats csv using (column("parent_mem_kib") / 1024) nooutput name "M"
stats csv using (column("max_us")) nooutput name "U"
stats csv using (column("min_us")) nooutput name "UMIN"
mechs = present("mech")
# one colour per mechanism: the process ones in blues and green, the
# thread in the thread model's orange-red
mech_color(m) = m eq "fork" ? model_color("process") : \
	m eq "vfork" ? "#56B4E9" : m eq "posix_spawn" ? "#009E73" : \
	m eq "thread" ? model_color("thread") : "#777777"
mech_point(m) = m eq "thread" ? model_point("thread") : \
	m eq "fork" ? 7 : m eq "vfork" ? 9 : 5
MECH = "lc rgb mech_color(m) pt mech_point(m) ps (3.5 * pscale) lw 3"

set title sprintf("spawn: start a worker that does nothing and wait for it\nµs per round trip vs the parent's touched memory, median of %s runs", \
	meta("repeat"))
set xlabel "parent's touched memory (MiB)"
set ylabel "µs per round trip (log scale)"
set logscale y
set format y "%g"
set xrange [-M_max * 0.03:M_max * 1.05 + 1]
set yrange [UMIN_min / 2:U_max * 3]

plot for [m in mechs] where("mech", m) \
		using (column("parent_mem_kib") / 1024):(column("median_us")): \
		      (column("min_us")):(column("max_us")) \
		with yerrorbars lc rgb mech_color(m) lw 2.5 ps 0 notitle, \
	for [m in mechs] where("mech", m) \
		using (column("parent_mem_kib") / 1024):(column("median_us")) \
		smooth unique with linespoints @MECH title m
