# Shared by the shell drivers in tests/: a PKI and a running server in a
# temp dir. Source it after setting SERVER, WAGECTL and T (the temp dir).

# mkpki DIR: CA, server certificate for localhost/127.0.0.1, a union station
# certificate of 370102, a clerk of 370100 and a clerk of Qingdao, a
# legal-aid lawyer, an auditor and an admin.
mkpki() {
	"$WAGECTL" pki init "$1" >/dev/null
	"$WAGECTL" pki issue "$1" --server --cn localhost --org test \
		--region 370100 --dns localhost --ip 127.0.0.1 \
		--out "$1/server" >/dev/null
	"$WAGECTL" pki issue "$1" --role union --cn 陈静 \
		--org 济南市历下区总工会工会驿站 --region 370102 \
		--out "$1/union" >/dev/null
	"$WAGECTL" pki issue "$1" --role clerk --cn 王芳 \
		--org 济南市劳动人事争议仲裁院 --region 370100 \
		--out "$1/clerk" >/dev/null
	"$WAGECTL" pki issue "$1" --role clerk --cn 林涛 \
		--org 青岛市劳动人事争议仲裁院 --region 370200 \
		--out "$1/clerk_qd" >/dev/null
	"$WAGECTL" pki issue "$1" --role legal_aid --cn 赵磊 \
		--org 济南市法律援助中心 --region 370100 \
		--out "$1/legal_aid" >/dev/null
	"$WAGECTL" pki issue "$1" --role auditor --cn 孙丽 \
		--org 济南市人力资源和社会保障局 --region 370100 \
		--out "$1/auditor" >/dev/null
	"$WAGECTL" pki issue "$1" --role admin --cn 周强 \
		--org 济南市劳动人事争议仲裁院信息中心 --region 370100 \
		--out "$1/admin" >/dev/null
	"$WAGECTL" pki issue "$1" --role mediator --cn 李明 \
		--org 济南市劳动人事争议仲裁院 --region 370100 \
		--out "$1/mediator" >/dev/null
}

# mkconf FILE PORT [extra lines...]: a configuration on 127.0.0.1:PORT
# with the PKI in $T/pki and the database in $T/db.
mkconf() {
	f=$1
	port=$2
	shift 2
	{
		echo "listen: tls+tcp://127.0.0.1:$port"
		echo "ca: $T/pki/ca.crt"
		echo "cert: $T/pki/server.crt"
		echo "key: $T/pki/server.key"
		echo "db: $T/db"
		echo "policy: $(pwd)/policies/wage-dispute.yaml"
		for l in "$@"; do echo "$l"; done
	} > "$f"
}

# freeport [N]: a port on 127.0.0.1 that nothing uses, below the kernel's
# ephemeral range (so that no client connection can hold it), from the
# process id and N; checked against ss (every state) when it is there.
freeport() {
	lo=20000
	span=$(awk '{ print ($1 > 21000 ? $1 - 20000 : 1000) }' \
		/proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 10000)
	p=$(( lo + ($$ * 7 + ${1:-0} * 131) % span ))
	if command -v ss >/dev/null 2>&1; then
		while ss -tan 2>/dev/null | grep -q ":$p "; do
			p=$(( lo + (p - lo + 1) % span ))
		done
	fi
	echo "$p"
}

# start_server CONF LOG: start it and wait for its READY line (bounded);
# sets SPID.
start_server() {
	: > "$2"
	"$SERVER" -c "$1" >/dev/null 2>"$2" &
	SPID=$!
	i=0
	until grep -q READY "$2"; do
		i=$((i + 1))
		if [ $i -gt 400 ] || ! kill -0 "$SPID" 2>/dev/null; then
			echo "server did not start:" >&2
			cat "$2" >&2
			return 1
		fi
		sleep 0.025
	done
}

# stop_server: SIGTERM and wait.
stop_server() {
	if [ -n "${SPID:-}" ]; then
		kill "$SPID" 2>/dev/null || true
		wait "$SPID" 2>/dev/null || true
		SPID=""
	fi
}
