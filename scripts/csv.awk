# csv.awk - read pvt's CSV files for scripts/plot and its charts (POSIX awk)
#
# A pvt CSV file is "# key: value" metadata lines, one header row of
# column names, then data rows; fields are quoted only when they hold a
# comma or a quote (RFC 4180, "" for a quote). One program, three modes,
# chosen with -v mode=...; settings come from the environment (ENVIRON),
# never -v, so that no backslash in a value is reinterpreted:
#
#   mode=check   CSV_NAME (the file's name in messages), CSV_TEXT and
#                CSV_NUMERIC (required columns, space-separated),
#                CSV_OPTIONAL (columns used when present), CSV_CHART.
#                Prints gnuplot assignments on stdout: meta_KEY for each
#                metadata line, has_COLUMN (0 or 1) for each optional
#                column, and `models` (the model column's values in the
#                fixed model order) when there is a model column.
#                Exit 0: drawable. Exit 1: malformed, one "FILE:LINE:
#                reason" line per problem on stderr. Exit 3: well formed
#                but nothing to draw (no rows, or a required numeric
#                column has no value), one note on stderr.
#   mode=where   CSV_COLUMN, CSV_VALUE: the header and the rows whose
#                column equals the value (for gnuplot's plot "< ...").
#   mode=values  CSV_COLUMN: its distinct values in file order, one line.

# csv_split(s, f): splits one record into f[1..n]. Returns n, or -1 when
# a quote is not closed or is followed by something other than a comma.
function csv_split(s, f,    n, i, c, len, field, quoted) {
	if (index(s, "\"") == 0)
		return split(s, f, ",")
	n = 0
	len = length(s)
	i = 1
	while (1) {
		field = ""
		if (substr(s, i, 1) == "\"") {
			quoted = 1
			i++
			while (1) {
				if (i > len)
					return -1	# the quote never closes
				c = substr(s, i, 1)
				if (c == "\"") {
					if (substr(s, i + 1, 1) == "\"") {
						field = field "\""
						i += 2
						continue
					}
					i++
					break
				}
				field = field c
				i++
			}
			c = substr(s, i, 1)
			if (c != "," && c != "")
				return -1	# text after the closing quote
		} else {
			while (i <= len && (c = substr(s, i, 1)) != ",") {
				if (c == "\"")
					return -1	# a quote inside a bare field
				field = field c
				i++
			}
		}
		f[++n] = field
		if (i > len)
			return n
		i++		# past the comma
		if (i > len) {
			f[++n] = ""	# a trailing comma: one more, empty field
			return n
		}
	}
}

function is_number(s) {
	return s ~ /^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$/
}

# gnuplot single-quoted string: a quote is written twice
function gp_string(s) {
	gsub(/'/, "''", s)
	return "'" s "'"
}

function bad(line, reason) {
	printf "%s:%d: %s\n", name, line, reason > "/dev/stderr"
	errors++
}

# Sets need[] (required), numeric[] and optional[] from the environment.
function read_columns(    n, i, w) {
	n = split(ENVIRON["CSV_TEXT"], w, " ")
	for (i = 1; i <= n; i++) {
		need[w[i]] = 1
		order[++nneed] = w[i]
	}
	n = split(ENVIRON["CSV_NUMERIC"], w, " ")
	for (i = 1; i <= n; i++) {
		need[w[i]] = 1
		numeric[w[i]] = 1
		order[++nneed] = w[i]
	}
	n = split(ENVIRON["CSV_OPTIONAL"], w, " ")
	for (i = 1; i <= n; i++)
		optional[w[i]] = 1
}

BEGIN {
	name = ENVIRON["CSV_NAME"]
	if (name == "")
		name = "-"
	if (mode == "check")
		read_columns()
	want = ENVIRON["CSV_COLUMN"]
	value = ENVIRON["CSV_VALUE"]
}

{ sub(/\r$/, "") }

# Metadata before the header; a "#" line anywhere is a comment (gnuplot
# and pandas skip them too).
/^#/ {
	if (!header && mode == "check" &&
	    match($0, /^# [A-Za-z0-9_-]+: ?/)) {
		key = substr($0, 3, index($0, ":") - 3)
		gsub(/-/, "_", key)
		val = substr($0, RLENGTH + 1)
		if (!(key in meta)) {
			meta[key] = val
			metakeys[++nmeta] = key
		}
	}
	next
}

!header {
	header = NR
	ncols = csv_split($0, cols)
	if (ncols < 0) {
		if (mode == "check")
			bad(NR, "malformed quote in the header row")
		errors++
		exit 1
	}
	for (i = 1; i <= ncols; i++)
		col[cols[i]] = i
	if (mode == "check") {
		for (i = 1; i <= nneed; i++)
			if (!(order[i] in col))
				bad(NR, "no column '" order[i] "' (" \
				    ENVIRON["CSV_CHART"] " needs it)")
		if (errors)
			exit 1
	} else {
		if (!(want in col)) {
			printf "%s: no column '%s'\n", name, want \
			    > "/dev/stderr"
			errors++
			exit 1
		}
		c = col[want]
		if (mode == "where")
			print
	}
	next
}

mode == "where" {
	if (csv_split($0, f) == ncols && f[c] == value)
		print
	next
}

mode == "values" {
	if (csv_split($0, f) == ncols && !(f[c] in seen)) {
		seen[f[c]] = 1
		print f[c]
	}
	next
}

# mode == "check": every data row
{
	rows++
	if ($0 == "") {
		bad(NR, "empty line")
		next
	}
	n = csv_split($0, f)
	if (n < 0) {
		bad(NR, "malformed quote")
		next
	}
	if (n != ncols) {
		bad(NR, n " fields, the header has " ncols)
		next
	}
	for (k in numeric) {
		v = f[col[k]]
		if (v == "")
			continue
		if (!is_number(v))
			bad(NR, "column '" k "': '" v "' is not a number")
		else
			values[k]++
	}
	for (k in optional)
		if ((k in col) && !(k in numeric) && is_number(f[col[k]]))
			values[k]++
	if ("model" in col && !(f[col["model"]] in model_seen)) {
		model_seen[f[col["model"]]] = 1
		model_list[++nmodels] = f[col["model"]]
	}
}

END {
	if (mode != "check")
		exit errors ? 1 : 0
	if (errors)
		exit 1
	if (!header) {
		bad(NR, "no header row")
		exit 1
	}
	if (!rows) {
		printf "%s: no data rows\n", name > "/dev/stderr"
		exit 3
	}
	for (i = 1; i <= nneed; i++)
		if ((order[i] in numeric) && !values[order[i]]) {
			printf "%s: no value in column '%s'\n", name, \
			    order[i] > "/dev/stderr"
			exit 3
		}
	for (i = 1; i <= nmeta; i++)
		if (metakeys[i] ~ /^[A-Za-z_][A-Za-z0-9_]*$/)
			printf "meta_%s = %s\n", metakeys[i], \
			    gp_string(meta[metakeys[i]])
	for (k in optional) {
		printf "has_%s = %d\n", k, ((k in col) && values[k] > 0)
		if (!(k in col))
			printf "%s: no column '%s': drawn without it\n", \
			    name, k > "/dev/stderr"
	}
	if ("model" in col) {
		# the fixed model order, then any other model as it comes
		n = split("sequential process thread gil py-sequential " \
			  "py-process py-thread", known, " ")
		list = ""
		for (i = 1; i <= n; i++)
			if (known[i] in model_seen) {
				list = list " " known[i]
				delete model_seen[known[i]]
			}
		for (i = 1; i <= nmodels; i++)
			if (model_list[i] in model_seen)
				list = list " " model_list[i]
		printf "models = %s\n", gp_string(substr(list, 2))
	}
}
