package dev.wgcp.registry.security;

import dev.wgcp.kit.security.Caller;
import dev.wgcp.registry.config.ClientCertificateProperties;
import dev.wgcp.kit.domain.ApiScope;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.filters.AuthenticationFetcher;
import jakarta.inject.Singleton;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.reactivestreams.Publisher;

/**
 * mTLS as an alternative to API tokens: a request over TLS with a client certificate that the server
 * trusts (its trust store) and whose subject CN is configured under {@code wgcp.registry.mtls.clients}
 * is authenticated with that entry's scope. A certificate whose CN is not configured authenticates
 * nothing (the request then needs a token like any other).
 */
@Singleton
public class ClientCertificateFetcher implements AuthenticationFetcher<HttpRequest<?>> {

    private final Map<String, ClientCertificateProperties> clients = new HashMap<>();

    public ClientCertificateFetcher(List<ClientCertificateProperties> configured) {
        for (ClientCertificateProperties c : configured) {
            ApiScope scope = ApiScope.parse(c.getScope());
            if (c.getNetwork() != null && scope != ApiScope.OPERATOR) {
                throw new IllegalStateException("wgcp.registry.mtls.clients." + c.getCommonName()
                        + ".network: only operators are limited to a network");
            }
            clients.put(c.getCommonName(), c);
        }
    }

    @Override
    public Publisher<Authentication> fetchAuthentication(HttpRequest<?> request) {
        return authenticate(request).map(Publishers::just).orElseGet(Publishers::empty);
    }

    private Optional<Authentication> authenticate(HttpRequest<?> request) {
        if (clients.isEmpty()) {
            return Optional.empty();
        }
        return request.getCertificate()
                .filter(X509Certificate.class::isInstance)
                .map(c -> commonName((X509Certificate) c))
                .map(clients::get)
                .map(c -> Caller.authentication(c.getCommonName(), ApiScope.parse(c.getScope()), c.getNetwork(), "cert"));
    }

    private static String commonName(X509Certificate certificate) {
        try {
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if ("CN".equalsIgnoreCase(rdn.getType())) {
                    return rdn.getValue().toString();
                }
            }
        } catch (Exception e) {
            // not a parsable subject: no common name
        }
        return null;
    }
}
