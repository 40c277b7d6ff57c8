package dev.wgcp.schemas.kafka;

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
 * The TLS identity of a wgcp Kafka cluster made by wgcp itself (the embedded broker, the compose
 * set-up): a private CA, the brokers' certificate (common name {@code broker}, for the names
 * given and loopback) and, where the super user authenticates with a certificate (compose), the
 * administrator's ({@code CN=wgcp-admin}); both certificates serve as client certificates too, and a
 * broker maps a certificate's common name to its principal. Clients trust {@code ca.pem} (public);
 * {@code broker.pem} and {@code wgcp-admin.pem} hold a private key and its chain and are readable by
 * their owner only. Made once per directory and kept, so clients keep trusting the brokers. The
 * CA's own key is not kept: nothing else is ever signed with it. BouncyCastle issues the
 * certificates (the JDK has no public API for it); it is needed only where this class is used.
 */
public final class KafkaTls {

    /** The common name (and so the principal) of the brokers' certificate. */
    public static final String BROKER_CN = "broker";

    private final Path caCertificate;
    private final Path brokerKeyAndChain;
    private final Path adminKeyAndChain;

    private KafkaTls(Path caCertificate, Path brokerKeyAndChain, Path adminKeyAndChain) {
        this.caCertificate = caCertificate;
        this.brokerKeyAndChain = brokerKeyAndChain;
        this.adminKeyAndChain = adminKeyAndChain;
    }

    /** The CA and a broker certificate for loopback in {@code dir}, made there first when absent. */
    public static KafkaTls inDirectory(Path dir) throws IOException {
        return inDirectory(dir, List.of(), false);
    }

    /**
     * The CA, a broker certificate for {@code brokerNames} and loopback and, with {@code adminCertificate},
     * the administrator's client certificate, in {@code dir}; made there first when absent.
     */
    public static KafkaTls inDirectory(Path dir, List<String> brokerNames, boolean adminCertificate) throws IOException {
        Path ca = dir.resolve("ca.pem");
        Path broker = dir.resolve("broker.pem");
        Path admin = dir.resolve(KafkaAccess.ADMIN + ".pem");
        if (!Files.exists(ca) || !Files.exists(broker) || adminCertificate && !Files.exists(admin)) {
            Files.createDirectories(dir);
            issue(ca, broker, brokerNames, adminCertificate ? admin : null);
        }
        return new KafkaTls(ca, broker, adminCertificate ? admin : null);
    }

    /** PEM file of the administrator's key and client certificate (mode 0600), or null when none was made. */
    public Path adminKeyAndChain() {
        return adminKeyAndChain;
    }

    /** PEM file of the CA certificate that signs the broker's: what clients trust. */
    public Path caCertificate() {
        return caCertificate;
    }

    /** PEM file of the broker's unencrypted PKCS#8 key and its certificate chain (mode 0600). */
    public Path brokerKeyAndChain() {
        return brokerKeyAndChain;
    }

    private static void issue(Path caFile, Path brokerFile, List<String> brokerNames, Path adminFile) throws IOException {
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

            List<GeneralName> sans = new ArrayList<>(List.of(new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
            brokerNames.forEach(n -> sans.add(new GeneralName(n.matches("[0-9.]+|.*:.*") ? GeneralName.iPAddress : GeneralName.dNSName, n)));
            X509Certificate brokerCert = sign(leaf(caName, caCert, BROKER_CN, brokerKeys, from, to, ext, sans), caKeys);
            writePrivate(brokerFile, pem(List.of(new JcaPKCS8Generator(brokerKeys.getPrivate(), null), brokerCert, caCert)));
            if (adminFile != null) {
                KeyPair adminKeys = gen.generateKeyPair();
                X509Certificate adminCert = sign(leaf(caName, caCert, KafkaAccess.ADMIN, adminKeys, from, to, ext, List.of()), caKeys);
                writePrivate(adminFile, pem(List.of(new JcaPKCS8Generator(adminKeys.getPrivate(), null), adminCert, caCert)));
            }
            Files.writeString(caFile, pem(List.of(caCert)));
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("cannot issue the embedded broker's TLS certificate: " + e.getMessage(), e);
        }
    }

    /** A certificate for {@code cn} that serves both as a server's and as a client's (a broker is both to its controller). */
    private static X509v3CertificateBuilder leaf(X500Name caName, X509Certificate caCert, String cn, KeyPair keys, Date from, Date to,
                                                 JcaX509ExtensionUtils ext, List<GeneralName> sans) throws GeneralSecurityException, IOException {
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(caName, serial(), from, to, new X500Name("CN=" + cn), keys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                        new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCert));
        if (!sans.isEmpty()) {
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(GeneralName[]::new)));
        }
        return b;
    }

    private static void writePrivate(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, text);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
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
