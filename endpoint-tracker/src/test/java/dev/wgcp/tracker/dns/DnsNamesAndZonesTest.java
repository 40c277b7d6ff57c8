package dev.wgcp.tracker.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wgcp.tracker.config.DdnsSettings;
import dev.wgcp.tracker.config.DnsZoneProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

class DnsNamesAndZonesTest {

    private static final String SECRET = "Vo8G4l/EneH/cB7uGsV5DQK1NwkB5h2qGGZGJn0E4yM=";

    @Test
    void peerNamesBecomeOneLowerCaseLabel() {
        assertEquals(Optional.of("roaming-laptop"), DnsNames.label("roaming-laptop"));
        assertEquals(Optional.of("ann-s-phone"), DnsNames.label("Ann's Phone"));
        assertEquals(Optional.of("x"), DnsNames.label("--x--"));
        assertEquals(Optional.empty(), DnsNames.label("ü"));
        assertEquals(Optional.empty(), DnsNames.label(null));
        assertEquals(63, DnsNames.label("a".repeat(80)).orElseThrow().length());
        assertTrue(DnsNames.within("edge1.wg.example.net", "wg.example.net."));
        assertFalse(DnsNames.within("edge1.notwg.example.net", "wg.example.net"));
    }

    @Test
    void aZoneIsCheckedAtStartWithWhatIsExpected(@TempDir Path dir) throws Exception {
        DnsZoneProperties p = new DnsZoneProperties("home");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DnsZone.of(p)).getMessage().contains("zones.home.zone is missing"));
        p.setZone("wg.example.net");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DnsZone.of(p)).getMessage().contains("server is missing"));
        p.setServer("127.0.0.1:5353");
        p.setTsigKeyName("wgcp");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DnsZone.of(p)).getMessage().contains("tsig-secret-file is missing"));
        Path keyFile = dir.resolve("ddns.key");
        Files.writeString(keyFile, "key \"wgcp\" {\n\talgorithm hmac-sha256;\n\tsecret \"" + SECRET + "\";\n};\n");
        p.setTsigSecretFile(keyFile.toString());
        p.setTsigAlgorithm("hmac-md6");
        String message = assertThrows(IllegalArgumentException.class, () -> DnsZone.of(p)).getMessage();
        assertTrue(message.contains("hmac-md6") && message.contains("hmac-sha256"), message);
        assertFalse(message.contains(SECRET));
        p.setTsigAlgorithm("hmac-sha256");
        DnsZone zone = DnsZone.of(p);
        assertEquals("wg.example.net.", zone.zone().toString());
        assertEquals(5353, zone.port());
        assertFalse(zone.toString().contains(SECRET), "the secret is never printed: " + zone);
    }

    @Test
    void anUpdateReplacesTheAddressesAndSetsSrvOnlyForANonDefaultPort(@TempDir Path dir) throws Exception {
        DnsZoneProperties p = new DnsZoneProperties("home");
        p.setZone("wg.example.net");
        p.setServer("127.0.0.1");
        p.setTsigKeyName("wgcp");
        p.setTsigSecret(SECRET);
        DnsZone zone = DnsZone.of(p);
        Name name = Name.fromString("laptop.wg.example.net.");
        Update roam = DnsUpdateClient.message(zone, name, List.of("198.51.100.7"), 41000);
        List<Record> records = roam.getSection(Section.UPDATE);
        assertEquals(List.of(Type.A, Type.AAAA, Type.SRV, Type.A, Type.SRV), records.stream().map(Record::getType).toList());
        assertEquals("198.51.100.7", records.get(3).rdataToString());
        assertEquals("0 0 41000 laptop.wg.example.net.", records.get(4).rdataToString());
        assertEquals(60, records.get(3).getTTL());
        Update v6 = DnsUpdateClient.message(zone, name, List.of("2001:db8::7"), DnsUpdateClient.DEFAULT_WIREGUARD_PORT);
        assertEquals(List.of(Type.A, Type.AAAA, Type.SRV, Type.AAAA), v6.getSection(Section.UPDATE).stream().map(Record::getType).toList());
        Update gone = DnsUpdateClient.message(zone, name, List.of(), null);
        assertEquals(3, gone.getSection(Section.UPDATE).size());
        assertThrows(java.net.UnknownHostException.class, () -> DnsUpdateClient.message(zone, name, List.of("example.com"), 1));
    }

    @Test
    void retriesBackOffExponentiallyUpToTheMaximum() {
        DdnsSettings s = new DdnsSettings();
        assertEquals(Duration.ofSeconds(1), s.backoff(1));
        assertEquals(Duration.ofSeconds(2), s.backoff(2));
        assertEquals(Duration.ofSeconds(64), s.backoff(7));
        assertEquals(Duration.ofMinutes(5), s.backoff(30));
    }
}
