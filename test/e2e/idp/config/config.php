<?php
// SimpleSAMLphp 1.19 main config for the e2e IdP; `start` points SIMPLESAMLPHP_CONFIG_DIR here
// and passes everything instance-specific through the environment.
$state = getenv('SSP_STATE_DIR');
if (!$state) {
    throw new \Exception('SSP_STATE_DIR is not set (run test/e2e/idp/start)');
}
// Cookies are not isolated by port: give each instance its own names so two IdPs on
// 127.0.0.1 driven by one browser do not overwrite each other's sessions.
$cookieSuffix = getenv('SSP_COOKIE_SUFFIX') ?: '';
$config = [
    'baseurlpath' => getenv('SSP_BASEURL'),
    'certdir' => $state . '/cert/',
    'loggingdir' => $state . '/var/log/',
    'datadir' => $state . '/var/data/',
    'tempdir' => $state . '/var/tmp/',
    'metadatadir' => dirname(__DIR__) . '/metadata/',
    'metadata.sources' => [['type' => 'flatfile', 'directory' => dirname(__DIR__) . '/metadata']],
    'technicalcontact_name' => 'Caseboard test IdP',
    'technicalcontact_email' => 'na@example.org',
    'timezone' => 'UTC',
    // Must not be 'defaultsecretsalt'; test-only, the IdP never leaves loopback.
    'secretsalt' => getenv('SSP_SECRETSALT') ?: 'caseboard-test-only-not-secret',
    'auth.adminpassword' => getenv('SSP_ADMINPASSWORD') ?: 'test-admin',
    'admin.protectindexpage' => false,
    'admin.protectmetadata' => false,
    'showerrors' => true,
    'errorreporting' => false,
    'logging.level' => SimpleSAML\Logger::INFO,
    'logging.handler' => 'stderr',
    'enable.saml20-idp' => true,
    'enable.shib13-idp' => false,
    'enable.adfs-idp' => false,
    'module.enable' => ['exampleauth' => true, 'core' => true, 'saml' => true, 'admin' => true],
    'store.type' => 'phpsession',
    'session.duration' => 8 * 3600,
    'session.cookie.name' => 'SimpleSAMLSessionID' . $cookieSuffix,
    'session.phpsession.cookiename' => 'SimpleSAML' . $cookieSuffix,
    'session.authtoken.cookiename' => 'SimpleSAMLAuthToken' . $cookieSuffix,
    'session.cookie.path' => '/',
    // A Secure cookie on plain http is a CriticalConfigurationError (notes P5).
    'session.cookie.secure' => getenv('SSP_COOKIE_SECURE') === '1',
    'session.cookie.samesite' => getenv('SSP_COOKIE_SAMESITE') ?: null,
    'language.default' => 'en',
    'language.cookie.name' => 'language' . $cookieSuffix,
];
