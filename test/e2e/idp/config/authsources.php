<?php
// Test users; keep in sync with USERS in test/e2e/support/idp.ts.
$user = function (string $uid, string $name, array $groups, array $accounts = []): array {
    $attributes = [
        'uid' => [$uid],
        'email' => [$uid . '@example.com'],
        'displayName' => [$name],
        'groups' => $groups,
    ];
    if ($accounts) {
        $attributes['accounts'] = $accounts;
    }
    return $attributes;
};
$config = [
    'admin' => ['core:AdminPassword'],
    'example-userpass' => [
        'exampleauth:UserPass',
        'alice:alicepass' => $user('alice', 'Alice Example', ['engineers']),
        'bob:bobpass' => $user('bob', 'Bob Example', ['leads', 'engineers']),
        'carol:carolpass' => $user('carol', 'Carol Example', ['admins']),
        'dave:davepass' => $user('dave', 'Dave Example', ['partners'], ['Globex']),
        // maps to no Caseboard role: the SP must refuse the login
        'erin:erinpass' => $user('erin', 'Erin Example', ['contractors']),
    ],
];
