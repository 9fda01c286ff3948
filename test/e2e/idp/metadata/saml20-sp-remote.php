<?php
// Caseboard: entity ID / metadata at /saml/metadata, ACS POST /login/callback,
// SLO /logout/callback (HTTP-Redirect).
$spBase = rtrim((string) getenv('SP_BASEURL'), '/');
$acs = $spBase . '/login/callback';
$metadata[getenv('SP_ENTITYID') ?: $spBase . '/saml/metadata'] = [
    'AssertionConsumerService' => $acs, // HTTP-POST
    'SingleLogoutService' => $spBase . '/logout/callback', // HTTP-Redirect
    'NameIDFormat' => 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
    // without it the emailAddress NameID is a salted hash (notes P7)
    'simplesaml.nameidattribute' => 'email',
    'assertion.lifetime' => (int) (getenv('SSP_ASSERTION_LIFETIME') ?: 300),
    // signed LogoutRequest/LogoutResponse (SigAlg + Signature on the redirect), notes P9
    'sign.logout' => getenv('SSP_SIGN_LOGOUT') !== '0',
    // both on by default; the switches let a probe get a single-signature response with
    // Caseboard's own audience
    'saml20.sign.response' => getenv('SSP_SIGN_RESPONSE') !== '0',
    'saml20.sign.assertion' => getenv('SSP_SIGN_ASSERTION') !== '0',
];

// Probe-only entities with the same ACS, so tampering specs can mint IdP-signed responses for
// another audience (A4) or with only one of the two signatures (C7-C10).
$probe = [
    'AssertionConsumerService' => $acs,
    'NameIDFormat' => 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
    'simplesaml.nameidattribute' => 'email',
    'assertion.lifetime' => (int) (getenv('SSP_ASSERTION_LIFETIME') ?: 300),
];
$metadata['urn:probe:other-sp'] = $probe;
$metadata['urn:probe:resp-only'] = $probe + ['saml20.sign.assertion' => false];
$metadata['urn:probe:assert-only'] = $probe + ['saml20.sign.response' => false];
