#!/bin/sh
# Runs the development IdP in the foreground (PID 1 of its container), the way
# test/e2e/idp/start runs it on loopback: PHP's built-in server, state under one directory.
# Env: IDP_PUBLIC_URL, the IdP as the browser reaches it (http://127.0.0.1:8080); SP_BASEURL,
# Caseboard as the browser reaches it (http://127.0.0.1:3000); SP_ENTITYID, SSP_SECRETSALT;
# IDP_LISTEN (0.0.0.0:8080), IDP_KIT_DIR and IDP_STATE_DIR (the image's paths).
set -eu
KIT="${IDP_KIT_DIR:-/opt/caseboard-idp}"
STATE="${IDP_STATE_DIR:-/var/lib/caseboard-idp}"
mkdir -p "$STATE/cert" "$STATE/docroot" "$STATE/var/sessions" "$STATE/var/tmp" \
  "$STATE/var/data" "$STATE/var/log"
ln -sfn /usr/share/simplesamlphp/www "$STATE/docroot/simplesaml"
if [ ! -s "$STATE/cert/idp.key" ]; then
  openssl req -x509 -newkey rsa:2048 -sha256 -nodes -days 3650 -subj "/CN=caseboard-dev-idp" \
    -keyout "$STATE/cert/idp.key" -out "$STATE/cert/idp.crt" 2>/dev/null
fi
# Caseboard reads the certificate from this shared volume (SAML_IDP_CERT=/run/caseboard-idp/idp.crt).
if [ -d /idp-cert ] && [ -w /idp-cert ]; then cp "$STATE/cert/idp.crt" /idp-cert/idp.crt; fi

SP_BASEURL="${SP_BASEURL%/}"
export SIMPLESAMLPHP_CONFIG_DIR="$KIT/config"
export SSP_STATE_DIR="$STATE"
export SSP_BASEURL="${IDP_PUBLIC_URL%/}/simplesaml/"
export SP_BASEURL
export SP_ENTITYID="${SP_ENTITYID:-$SP_BASEURL/saml/metadata}"
export PHP_CLI_SERVER_WORKERS="${PHP_CLI_SERVER_WORKERS:-4}"
echo "IdP ${SSP_BASEURL}saml2/idp/metadata.php for SP $SP_ENTITYID"
exec php -d session.save_path="$STATE/var/sessions" -d display_errors=stderr \
  -S "${IDP_LISTEN:-0.0.0.0:8080}" -t "$STATE/docroot"
