# pvt.bash - bash completion for pvt: commands, scenario names, options,
# models and folders. It asks the pvt being completed (pvt list, pvt run
# NAME --help, ...), so it never lists a scenario or an option that this
# pvt does not have. Installed as share/bash-completion/completions/pvt;
# in a build tree: source completion/pvt.bash.

# _pvt_options PVT ARGS...: the --options that `PVT ARGS... --help` lists
_pvt_options()
{
	"$@" --help 2> /dev/null | grep -o -e '--[a-z][a-z0-9-]*' | sort -u
}

# _pvt_models PVT: the models `pvt run square --help` names
_pvt_models()
{
	"$1" run square --help 2> /dev/null |
		sed -n 's/^  *--models [A-Z]* *models to run: //p' |
		tr -c 'a-z-' '\n' | grep -v -x -e default -e '' | sort -u
}

_pvt()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
	local pvt=${COMP_WORDS[0]} cmd=${COMP_WORDS[1]:-} words
	COMPREPLY=()

	if [ "$COMP_CWORD" -eq 1 ]; then
		words="$("$pvt" --help 2> /dev/null |
			sed -n 's/^  pvt \([a-z][a-z]*\).*/\1/p') --help --version"
		COMPREPLY=($(compgen -W "$words" -- "$cur"))
		return
	fi
	case $cmd in
	explain | run)
		if [ "$COMP_CWORD" -eq 2 ]; then
			words=$("$pvt" list 2> /dev/null | awk '{ print $1 }')
			COMPREPLY=($(compgen -W "$words" -- "$cur"))
			return
		fi
		[ "$cmd" = run ] || return
		;;
	suite | serve | live) ;;
	cluster)
		[ "$COMP_CWORD" -eq 2 ] &&
			COMPREPLY=($(compgen -W "up down status mpirun" -- "$cur"))
		return
		;;
	*) return ;;
	esac

	case $prev in
	--out)
		COMPREPLY=($(compgen -d -- "$cur"))
		return
		;;
	--url-file)
		COMPREPLY=($(compgen -f -- "$cur"))
		return
		;;
	--models | --model)
		# a comma-separated list: complete the part after the last comma
		local done=
		[[ $cur == *,* ]] && done=${cur%,*},
		words=$(_pvt_models "$pvt")
		COMPREPLY=($(compgen -P "$done" -W "$words" -- "${cur##*,}"))
		compopt -o nospace 2> /dev/null
		return
		;;
	esac
	if [[ $cur == -* ]]; then
		if [ "$cmd" = run ]; then
			words=$(_pvt_options "$pvt" run "${COMP_WORDS[2]}")
		else
			words=$(_pvt_options "$pvt" "$cmd")
		fi
		words=$(printf '%s\n' $words --help | sort -u)
		COMPREPLY=($(compgen -W "$words" -- "$cur"))
	fi
}
complete -F _pvt pvt
