# shared_array.gp - one array shared, one copied, as measured: for each
# model, what the parent reads in each cell after the workers squared
# their numbers into both arrays; a filled cell holds the square, an
# empty one kept its 0 (the worker wrote into its own copy)
# csv: shared_array.csv
# text: model
# numeric: index value square shared_array plain_array

stats where("model", "process") using (column("index")) nooutput name "N"
n = N_max + 1
filled(v, sq) = v == sq ? 1 : 0
# a model's two rows of cells, y = base (shared) and base - 1 (plain)
row(m, base) = sprintf("%s", m)

set title "shared_array: what the parent reads after the workers wrote\nfilled: the worker's square arrived · empty: it went into the worker's own copy" font font(24)
unset border
unset tics
unset grid
set key off
set xrange [-3.2:n + 0.2]
set yrange [-4.9:0.9]
set style fill solid 0.85 border lc rgb "#333333"
set label 1 "process" at -3.1, -0.5 left font font(22) textcolor rgb model_color("process")
set label 2 "thread" at -3.1, -3 left font font(22) textcolor rgb model_color("thread")
set label 3 "MAP_SHARED array" at -0.15, 0 right font font(18)
set label 4 "plain array" at -0.15, -1 right font font(18)
set label 5 "MAP_SHARED array" at -0.15, -2.5 right font font(18)
set label 6 "plain array" at -0.15, -3.5 right font font(18)

# one model's cells: y is 0/-1 (process) or -2.5/-3.5 (thread)
plot for [k = 1:4] where("model", k <= 2 ? "process" : "thread") \
		using (column("index") + 0.5):(k == 1 ? 0 : k == 2 ? -1 : k == 3 ? -2.5 : -3.5):(0.45):(0.4): \
		      (filled(column(k % 2 ? "shared_array" : "plain_array"), column("square")) ? \
		       (k <= 2 ? 0x0072B2 : 0xD55E00) : 0xFFFFFF) \
		with boxxyerror fc rgb variable, \
	for [k = 1:4] where("model", k <= 2 ? "process" : "thread") \
		using (column("index") + 0.5):(k == 1 ? 0 : k == 2 ? -1 : k == 3 ? -2.5 : -3.5): \
		      (sprintf("%d", column(k % 2 ? "shared_array" : "plain_array"))) \
		with labels center font font(20) \
		textcolor rgb "#000000"
