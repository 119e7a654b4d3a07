package io.github.wasmgateway.source;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate for 127.0.0.1 and localhost, made by the JDK's keytool: the
 * key of the test servers (https, a TLS registry) and the signer of registry tokens.
 */
final class TestCertificate {

	private static final char[] PASSWORD = "changeit".toCharArray();

	final X509Certificate certificate;

	final PrivateKey key;

	final Path certificatePem;

	final Path keyPem;

	private final KeyStore keyStore;

	private TestCertificate(KeyStore keyStore, Path directory) throws Exception {
		this.keyStore = keyStore;
		this.certificate = (X509Certificate) keyStore.getCertificate("test");
		this.key = (PrivateKey) keyStore.getKey("test", PASSWORD);
		this.certificatePem = directory.resolve("cert.pem");
		this.keyPem = directory.resolve("key.pem");
		Files.writeString(this.certificatePem, pem("CERTIFICATE", this.certificate.getEncoded()));
		Files.writeString(this.keyPem, pem("PRIVATE KEY", this.key.getEncoded()));
	}

	private static TestCertificate shared;

	/** One certificate for every test of this JVM (keytool takes seconds). */
	static synchronized TestCertificate shared() throws Exception {
		if (shared == null) {
			Path directory = Files.createTempDirectory("wasm-gateway-test-cert");
			directory.toFile().deleteOnExit();
			shared = create(directory);
			try (java.util.stream.Stream<Path> files = Files.list(directory)) {
				files.forEach((file) -> file.toFile().deleteOnExit());
			}
		}
		return shared;
	}

	private static TestCertificate create(Path directory) throws Exception {
		Path store = directory.resolve("test.p12");
		Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
				"-genkeypair", "-alias", "test", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-dname",
				"CN=localhost", "-ext", "san=ip:127.0.0.1,dns:localhost", "-keystore", store.toString(), "-storetype",
				"PKCS12", "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
			.redirectErrorStream(true)
			.start();
		String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
			throw new IllegalStateException("keytool failed: " + output);
		}
		KeyStore keyStore = KeyStore.getInstance("PKCS12");
		try (InputStream in = Files.newInputStream(store)) {
			keyStore.load(in, PASSWORD);
		}
		return new TestCertificate(keyStore, directory);
	}

	/** For a server presenting this certificate. */
	SSLContext serverContext() throws Exception {
		KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
		keys.init(this.keyStore, PASSWORD);
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(keys.getKeyManagers(), null, null);
		return context;
	}

	/** For a client that trusts this certificate (and nothing else). */
	SSLContext clientContext() throws Exception {
		KeyStore trust = KeyStore.getInstance("PKCS12");
		trust.load(null, null);
		trust.setCertificateEntry("test", this.certificate);
		TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		factory.init(trust);
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(null, factory.getTrustManagers(), null);
		return context;
	}

	private static String pem(String type, byte[] der) {
		return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
				+ "\n-----END " + type + "-----\n";
	}

}
