package dev.wgcp.infra;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The TLS identity of an embedded broker: a private CA made for it and the broker's certificate for
 * loopback ({@code localhost}, {@code 127.0.0.1}) signed by that CA. Clients trust {@code ca.pem}
 * (public); {@code broker.pem} holds the broker's private key and chain and is readable by its
 * owner only. Made once per directory and kept, so a devstack's clients keep trusting its broker.
 * The CA's own key is not kept: nothing else is ever signed with it.
 */
public final class KafkaTls {

    private final Path caCertificate;
    private final Path brokerKeyAndChain;

    private KafkaTls(Path caCertificate, Path brokerKeyAndChain) {
        this.caCertificate = caCertificate;
        this.brokerKeyAndChain = brokerKeyAndChain;
    }

    /** The CA and broker certificate in {@code dir}, made there first when absent. */
    public static KafkaTls inDirectory(Path dir) throws IOException {
        Path ca = dir.resolve("ca.pem");
        Path broker = dir.resolve("broker.pem");
        if (!Files.exists(ca) || !Files.exists(broker)) {
            Files.createDirectories(dir);
            issue(ca, broker);
        }
        return new KafkaTls(ca, broker);
    }

    /** PEM file of the CA certificate that signs the broker's: what clients trust. */
    public Path caCertificate() {
        return caCertificate;
    }

    /** PEM file of the broker's unencrypted PKCS#8 key and its certificate chain (mode 0600). */
    public Path brokerKeyAndChain() {
        return brokerKeyAndChain;
    }

    private static void issue(Path caFile, Path brokerFile) throws IOException {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
            gen.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair caKeys = gen.generateKeyPair();
            KeyPair brokerKeys = gen.generateKeyPair();
            Instant now = Instant.now();
            Date from = Date.from(now.minus(Duration.ofHours(1)));
            Date to = Date.from(now.plus(Duration.ofDays(3650)));
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();

            X500Name caName = new X500Name("CN=wgcp embedded Kafka CA " + now.getEpochSecond());
            X509v3CertificateBuilder caBuilder = new JcaX509v3CertificateBuilder(caName, serial(), from, to, caName, caKeys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(caKeys.getPublic()));
            X509Certificate caCert = sign(caBuilder, caKeys);

            X509v3CertificateBuilder brokerBuilder = new JcaX509v3CertificateBuilder(caName, serial(), from, to,
                    new X500Name("CN=localhost"), brokerKeys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                            new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                            new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}))
                    .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCert));
            X509Certificate brokerCert = sign(brokerBuilder, caKeys);

            Path brokerTmp = brokerFile.resolveSibling(brokerFile.getFileName() + ".tmp");
            Files.deleteIfExists(brokerTmp);
            Files.createFile(brokerTmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(brokerTmp, pem(List.of(new JcaPKCS8Generator(brokerKeys.getPrivate(), null), brokerCert, caCert)));
            Files.writeString(caFile, pem(List.of(caCert)));
            Files.move(brokerTmp, brokerFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("cannot issue the embedded broker's TLS certificate: " + e.getMessage(), e);
        }
    }

    private static BigInteger serial() {
        return new BigInteger(64, new SecureRandom());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuer)
            throws OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA")
                .build(issuer.getPrivate())));
    }

    private static String pem(List<Object> objects) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            for (Object o : new ArrayList<>(objects)) {
                if (o instanceof JcaPKCS8Generator g) {
                    w.writeObject(g.generate());
                } else {
                    w.writeObject(o);
                }
            }
        }
        return out.toString();
    }
}
