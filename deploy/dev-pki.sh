#!/bin/sh
# Make the development PKI under DIR (default var/pki) if there is none:
# a CA, the server's certificate for localhost and 127.0.0.1, and one client
# certificate per role, with a person's name, an organisation and a region
# in Jinan. Uses wagectl's own PKI commands (mbedTLS), not openssl.
set -eu
WAGECTL=${1:-bin/wagectl}
DIR=${2:-var/pki}
made=
if [ ! -f "$DIR/ca.crt" ]; then
	mkdir -p "$(dirname "$DIR")"
	"$WAGECTL" pki init "$DIR" --name "wage-server development CA" \
		>/dev/null
	"$WAGECTL" pki issue "$DIR" --server --cn localhost \
		--org "wage-server development" --region 370100 \
		--dns localhost --ip 127.0.0.1 --out "$DIR/server" >/dev/null
	made=1
fi
# A role added since the PKI was made gets its certificate too.
issue() { # role name organisation region [file]
	_f=${5:-$1}
	[ -f "$DIR/$_f.crt" ] && return 0
	"$WAGECTL" pki issue "$DIR" --role "$1" --cn "$2" --org "$3" \
		--region "$4" --out "$DIR/$_f" >/dev/null
	[ -n "$made" ] || echo "dev-pki: added $DIR/$_f.crt" >&2
}
issue clerk      "王芳" "济南市劳动人事争议仲裁院" 370100
issue mediator   "李明" "济南市劳动人事争议仲裁院" 370100
issue arbitrator "张伟" "济南市劳动人事争议仲裁院" 370100
issue chair      "刘洋" "济南市劳动人事争议仲裁院" 370100
issue union      "陈静" "济南市历下区总工会工会驿站" 370102
issue legal_aid  "赵磊" "济南市法律援助中心" 370100
issue auditor    "孙丽" "济南市人力资源和社会保障局" 370100
issue admin      "周强" "济南市劳动人事争议仲裁院信息中心" 370100
issue inspector  "吴军" "济南市劳动保障监察支队" 370100
# Another city's clerk, to receive a 移送 (transfer) from 济南.
issue clerk      "林涛" "青岛市劳动人事争议仲裁院" 370200 clerk_qd
[ -n "$made" ] || exit 0
echo "dev-pki: made $DIR (CA, server, one certificate per role)" >&2
