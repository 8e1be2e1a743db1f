# spawn-cost.gp - what starting one worker costs, by mechanism, with the
# parent's memory at the smallest size swept: fork, vfork, posix_spawn of
# a tiny program, pthread_create; bars from the fastest to the slowest run
# csv: spawn.summary.csv
# text: mech
# numeric: parent_mem_kib median_us min_us max_us

stats csv using (column("parent_mem_kib")) nooutput name "M"
stats csv using (column("parent_mem_kib") == M_min ? column("max_us") : NaN) \
	nooutput name "U"
# the rows of the smallest memory come first (the scenario writes them so)
stats csv using (column("parent_mem_kib") == M_min ? 1 : NaN) nooutput name "K"
mech_color(m) = m eq "fork" ? model_color("process") : \
	m eq "vfork" ? "#56B4E9" : m eq "posix_spawn" ? "#009E73" : \
	m eq "thread" ? model_color("thread") : "#777777"
# mech_color as a number, for "lc rgb variable"
rgb(m) = m eq "fork" ? 0x0072B2 : m eq "vfork" ? 0x56B4E9 : \
	m eq "posix_spawn" ? 0x009E73 : m eq "thread" ? 0xD55E00 : 0x777777
# the rows of the smallest memory, one box each in file order
small(v) = column("parent_mem_kib") == M_min ? v : NaN

set title sprintf("spawn: µs to start a worker that does nothing and wait for it\nparent memory %g MiB, median of %s runs (bars: fastest to slowest)", \
	M_min / 1024, meta("repeat"))
set ylabel "µs per round trip"
set yrange [0:U_max * 1.25]
set xrange [-0.6:K_records - 0.4]
set xtics scale 0
set style fill solid 0.85 border lc rgb "#333333"
set boxwidth 0.6
set key off

plot csv using 0:(small(column("median_us"))): \
		(rgb(strcol("mech"))): \
		xtic(column("parent_mem_kib") == M_min ? strcol("mech") : "") \
		with boxes lc rgb variable, \
	csv using 0:(small(column("median_us"))):(small(column("min_us"))): \
		(small(column("max_us"))) \
		with yerrorbars lc rgb "#333333" lw 2 ps 0, \
	csv using 0:(small(column("max_us"))):(sprintf("%.1f", column("median_us"))) \
		with labels offset 0, char 1 font font(20)
