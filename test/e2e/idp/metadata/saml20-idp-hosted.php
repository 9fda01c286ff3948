<?php
$metadata[getenv('SSP_BASEURL') . 'saml2/idp/metadata.php'] = [
    'host' => '__DEFAULT__',
    'privatekey' => 'idp.key', // relative to certdir (the state dir's cert/)
    'certificate' => 'idp.crt',
    'auth' => 'example-userpass',
    'userid.attribute' => 'uid',
    'attributes.NameFormat' => 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic',
    'signature.algorithm' => 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    'saml20.sign.response' => true,
    'saml20.sign.assertion' => true,
];
