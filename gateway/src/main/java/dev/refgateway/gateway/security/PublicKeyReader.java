package dev.refgateway.gateway.security;

import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.Base64;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.X509CertUtils;

/**
 * Reads the static JWT verification key of {@code gateway.security.jwt.public-key}: a PEM {@code PUBLIC KEY}
 * (SubjectPublicKeyInfo), a PEM {@code CERTIFICATE}, or a single JWK as JSON. Only RSA (at least 2048 bits) and EC
 * keys on P-256, P-384 or P-521. Private key material is refused: it does not belong in the gateway's configuration.
 * Error messages never repeat the text, which may be a private key pasted by mistake.
 */
final class PublicKeyReader {

    static final int MIN_RSA_BITS = 2048;
    private static final Set<Curve> CURVES = Set.of(Curve.P_256, Curve.P_384, Curve.P_521);
    private static final String PUBLIC_KEY_PEM = "-----BEGIN PUBLIC KEY-----";
    private static final String CERTIFICATE_PEM = "-----BEGIN CERTIFICATE-----";

    private PublicKeyReader() {
    }

    /**
     * The key as a public JWK.
     *
     * @throws IllegalArgumentException with a description of what is wrong (never the text itself)
     */
    static JWK read(String text) {
        String trimmed = text.strip();
        JWK jwk;
        if (trimmed.startsWith("{")) {
            jwk = fromJson(trimmed);
        } else if (trimmed.startsWith(PUBLIC_KEY_PEM)) {
            jwk = fromPublicKeyPem(trimmed);
        } else if (trimmed.startsWith(CERTIFICATE_PEM)) {
            jwk = fromCertificatePem(trimmed);
        } else if (trimmed.startsWith("-----BEGIN") && trimmed.contains("PRIVATE KEY")) {
            throw new IllegalArgumentException("(a private key) (expected: the public key; never put a private key "
                    + "in the gateway's configuration)");
        } else {
            throw new IllegalArgumentException("(unrecognised text) (expected: a PEM PUBLIC KEY or CERTIFICATE, or a "
                    + "JWK as JSON)");
        }
        check(jwk);
        return jwk;
    }

    private static JWK fromJson(String json) {
        JWK jwk;
        try {
            jwk = JWK.parse(json);
        } catch (ParseException e) {
            throw new IllegalArgumentException("(not a valid JWK) (expected: a single JWK as JSON, such as "
                    + "{\"kty\":\"RSA\",\"n\":...,\"e\":\"AQAB\"}; a JWK set belongs at a jwks-url)");
        }
        if (jwk.isPrivate()) {
            throw new IllegalArgumentException("(a private JWK) (expected: the public key; never put a private key "
                    + "in the gateway's configuration)");
        }
        return jwk;
    }

    private static JWK fromPublicKeyPem(String pem) {
        byte[] der;
        try {
            String body = pem.substring(PUBLIC_KEY_PEM.length(), pem.indexOf("-----END PUBLIC KEY-----"));
            der = Base64.getMimeDecoder().decode(body);
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("(a broken PEM block) (expected: base64 between BEGIN PUBLIC KEY and "
                    + "END PUBLIC KEY)");
        }
        PublicKey key = decode(der, "RSA");
        if (key == null) {
            key = decode(der, "EC");
        }
        if (key instanceof RSAPublicKey rsa) {
            return new RSAKey.Builder(rsa).build();
        }
        if (key instanceof ECPublicKey ec) {
            Curve curve = Curve.forECParameterSpec(ec.getParams());
            if (curve == null) {
                throw new IllegalArgumentException("(an EC key on an unknown curve) (expected: P-256, P-384 or P-521)");
            }
            return new ECKey.Builder(curve, ec).build();
        }
        throw new IllegalArgumentException("(not an RSA or EC public key) (expected: an RSA or EC public key)");
    }

    private static JWK fromCertificatePem(String pem) {
        X509Certificate certificate = X509CertUtils.parse(pem);
        if (certificate == null) {
            throw new IllegalArgumentException("(a broken certificate) (expected: a PEM X.509 certificate)");
        }
        try {
            return JWK.parse(certificate);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("(a certificate without an RSA or EC key) (expected: an RSA or EC "
                    + "public key)");
        }
    }

    private static PublicKey decode(byte[] der, String algorithm) {
        try {
            return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
        } catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException | ClassCastException e) {
            return null;
        }
    }

    private static void check(JWK jwk) {
        if (jwk.getKeyType() == KeyType.RSA) {
            int bits = jwk.size();
            if (bits < MIN_RSA_BITS) {
                throw new IllegalArgumentException("(an RSA key of " + bits + " bits) (expected: at least "
                        + MIN_RSA_BITS + " bits)");
            }
            return;
        }
        if (jwk.getKeyType() == KeyType.EC) {
            if (!CURVES.contains(jwk.toECKey().getCurve())) {
                throw new IllegalArgumentException("(an EC key on curve " + jwk.toECKey().getCurve()
                        + ") (expected: P-256, P-384 or P-521)");
            }
            return;
        }
        throw new IllegalArgumentException("(a key of type " + jwk.getKeyType() + ") (expected: an RSA or EC public "
                + "key; shared secrets only through hs256-secret)");
    }
}
