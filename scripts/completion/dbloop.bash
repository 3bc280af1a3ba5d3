# bash completion for dbloop(1). Installed as
# share/bash-completion/completions/dbloop. Held to each command's option
# table by tests/integration/test_options.py (`dbloop help --options CMD`).

_dbloop_opts_common="-e --engine -H --host -P --port -S --socket -u --user
-W --password-prompt --password-env --password-file -d --database
--ssl-mode --ssl-ca --ssl-cert --ssl-key --defaults-file
--defaults-extra-file --no-defaults --client --app --stage -t --timeout --transports -4 -6
--require -f --format -o --output --redact --color -q --quiet -v --verbose
--healthcheck -h --help"

# Completes the comma-separated word cur from the list of choices.
_dbloop_list() {
	local cur=$1 choices=$2 prefix=""
	[[ $cur == *,* ]] && prefix=${cur%,*},
	COMPREPLY=($(compgen -P "$prefix" -W "$choices" -- "${cur##*,}"))
	compopt -o nospace 2>/dev/null
}

_dbloop() {
	local cur prev cmd i
	COMPREPLY=()
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD - 1]}
	cmd=""
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		diagnose | wait | explain | show | help)
			cmd=${COMP_WORDS[i]}
			break
			;;
		--) return ;;
		esac
	done
	if [[ -z $cmd ]]; then
		COMPREPLY=($(compgen -W "diagnose wait explain show help --help --version" -- "$cur"))
		return
	fi
	# after "--" in wait: complete the command to run
	for ((i = 2; i < COMP_CWORD; i++)); do
		if [[ ${COMP_WORDS[i]} == -- && $cmd == wait ]]; then
			COMPREPLY=($(compgen -c -- "$cur"))
			return
		fi
	done
	case $prev in
	-e | --engine)
		COMPREPLY=($(compgen -W "postgres mysql all" -- "$cur"))
		return
		;;
	--client)
		COMPREPLY=($(compgen -W "libpq psql mysql php-mysqli php-pdo-mysql php-pdo-pgsql jdbc-mariadb jdbc-postgresql node-mysql2 node-pg python-mysqlclient python-pymysql python-psycopg go-mysql go-pgx go-pq ruby-mysql2 ruby-pg" -- "$cur"))
		return
		;;
	--ssl-mode)
		COMPREPLY=($(compgen -W "disable prefer require verify-ca verify-full" -- "$cur"))
		return
		;;
	--stage)
		COMPREPLY=($(compgen -W "connect greet auth query" -- "$cur"))
		return
		;;
	--transports)
		_dbloop_list "$cur" "unix tcp4 tcp6 localhost host"
		return
		;;
	--require)
		if [[ $cur == *,* ]]; then
			_dbloop_list "$cur" "unix tcp4 tcp6 localhost host"
		else
			COMPREPLY=($(compgen -W "all any unix tcp4 tcp6 localhost host" -- "$cur"))
		fi
		return
		;;
	-f | --format)
		if [[ $cmd == explain ]]; then
			COMPREPLY=($(compgen -W "text json" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "text json markdown junit" -- "$cur"))
		fi
		return
		;;
	--color | --colour)
		COMPREPLY=($(compgen -W "auto always never" -- "$cur"))
		return
		;;
	-S | --socket | -o | --output | --password-file | --ssl-ca | --ssl-cert | --ssl-key | --defaults-file | --defaults-extra-file)
		COMPREPLY=($(compgen -f -- "$cur"))
		return
		;;
	--password-env)
		COMPREPLY=($(compgen -e -- "$cur"))
		return
		;;
	-H | --host | -P | --port | -u | --user | -d | --database | -t | --timeout | --interval | --wait-timeout)
		return
		;;
	esac
	case $cmd in
	help)
		COMPREPLY=($(compgen -W "diagnose wait explain show" -- "$cur"))
		;;
	diagnose)
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "$_dbloop_opts_common" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "postgres:// postgresql:// mysql:// mariadb:// tcp://" -- "$cur"))
			compopt -o nospace 2>/dev/null
		fi
		;;
	wait)
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "$_dbloop_opts_common --interval --wait-timeout --" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "postgres:// postgresql:// mysql:// mariadb:// tcp://" -- "$cur"))
			compopt -o nospace 2>/dev/null
		fi
		;;
	explain)
		COMPREPLY=($(compgen -W "-f --format --file --client -q --quiet -h --help" -- "$cur"))
		;;
	show)
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "-f --format --color -q --quiet -v --verbose -h --help" -- "$cur"))
		else
			COMPREPLY=($(compgen -f -X '!*.json' -- "$cur") $(compgen -d -- "$cur"))
		fi
		;;
	esac
}
complete -F _dbloop dbloop
