package dev.wgcp.registry.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * Subjects, versions and globally unique schema ids, kept in memory and in an append-only log file
 * (one JSON object a line) so that ids survive restarts: a record written before a restart still
 * decodes after it. The same schema text gets the same id under every subject, as in Confluent's
 * registry.
 */
public class SchemaStore {

    /** One version of a subject. */
    public record Version(String subject, int version, int id, String schema) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path logFile;
    private final Map<String, List<Version>> subjects = new TreeMap<>();
    private final Map<Integer, String> schemaById = new HashMap<>();
    private final Map<String, Integer> idBySchema = new HashMap<>();
    private final Map<String, CompatibilityLevel> subjectConfig = new HashMap<>();
    private CompatibilityLevel globalLevel = CompatibilityLevel.BACKWARD;
    private int nextId = 1;

    /** A store kept in {@code logFile} (created if missing), or only in memory when it is null. */
    public SchemaStore(Path logFile) {
        this.logFile = logFile;
        if (logFile != null) {
            load();
        }
    }

    public synchronized Version register(String subject, String schemaText) {
        Schema schema = parse(schemaText);
        String canonical = schema.toString();
        List<Version> versions = subjects.getOrDefault(subject, List.of());
        for (Version v : versions) {
            if (v.schema().equals(canonical)) {
                return v;
            }
        }
        List<String> problems = levelFor(subject).problems(schema, versions.stream().map(v -> parse(v.schema())).toList());
        if (!problems.isEmpty()) {
            throw RegistryError.incompatible(subject + "; " + String.join("; ", problems));
        }
        int id = idBySchema.getOrDefault(canonical, nextId);
        int versionNumber = versions.isEmpty() ? 1 : versions.get(versions.size() - 1).version() + 1;
        Version version = new Version(subject, versionNumber, id, canonical);
        ObjectNode line = JSON.createObjectNode().put("type", "schema").put("subject", subject)
                .put("version", versionNumber).put("id", id).put("schema", canonical);
        append(line);
        apply(version);
        return version;
    }

    public synchronized Optional<Version> lookup(String subject, String schemaText) {
        String canonical = parse(schemaText).toString();
        return versions(subject).stream().filter(v -> v.schema().equals(canonical)).findFirst();
    }

    public synchronized String schemaById(int id) {
        String schema = schemaById.get(id);
        if (schema == null) {
            throw RegistryError.schemaNotFound("with id " + id);
        }
        return schema;
    }

    public synchronized List<String> subjects() {
        return List.copyOf(subjects.keySet());
    }

    public synchronized List<Version> versions(String subject) {
        List<Version> versions = subjects.get(subject);
        if (versions == null || versions.isEmpty()) {
            throw RegistryError.subjectNotFound(subject);
        }
        return List.copyOf(versions);
    }

    public synchronized Version version(String subject, String version) {
        List<Version> versions = versions(subject);
        if ("latest".equals(version) || "-1".equals(version)) {
            return versions.get(versions.size() - 1);
        }
        int number;
        try {
            number = Integer.parseInt(version);
        } catch (NumberFormatException e) {
            throw RegistryError.invalidVersion(version);
        }
        if (number < 1) {
            throw RegistryError.invalidVersion(version);
        }
        return versions.stream().filter(v -> v.version() == number).findFirst()
                .orElseThrow(() -> RegistryError.versionNotFound(version));
    }

    /** Problems that stop {@code schemaText} from following {@code version} of {@code subject}; empty when compatible. */
    public synchronized List<String> compatibility(String subject, String version, String schemaText) {
        Schema candidate = parse(schemaText);
        Version against = version(subject, version);
        List<Schema> existing;
        if ("latest".equals(version) || "-1".equals(version)) {
            existing = versions(subject).stream().map(v -> parse(v.schema())).toList();
        } else {
            existing = List.of(parse(against.schema()));
        }
        return levelFor(subject).problems(candidate, existing);
    }

    public synchronized CompatibilityLevel globalLevel() {
        return globalLevel;
    }

    public synchronized Optional<CompatibilityLevel> subjectLevel(String subject) {
        return Optional.ofNullable(subjectConfig.get(subject));
    }

    public synchronized CompatibilityLevel setLevel(String subjectOrNull, CompatibilityLevel level) {
        ObjectNode line = JSON.createObjectNode().put("type", "config").put("level", level.name());
        if (subjectOrNull != null) {
            line.put("subject", subjectOrNull);
        }
        append(line);
        applyConfig(subjectOrNull, level);
        return level;
    }

    private CompatibilityLevel levelFor(String subject) {
        return subjectConfig.getOrDefault(subject, globalLevel);
    }

    private static Schema parse(String text) {
        if (text == null || text.isBlank()) {
            throw RegistryError.invalidSchema("the request has no \"schema\" field; expected the Avro schema as a JSON string");
        }
        try {
            return new Schema.Parser().parse(text);
        } catch (SchemaParseException e) {
            throw RegistryError.invalidSchema(e.getMessage());
        } catch (RuntimeException e) {
            throw RegistryError.invalidSchema("not an Avro schema: " + e.getMessage());
        }
    }

    private void apply(Version v) {
        subjects.computeIfAbsent(v.subject(), s -> new ArrayList<>()).add(v);
        schemaById.putIfAbsent(v.id(), v.schema());
        idBySchema.putIfAbsent(v.schema(), v.id());
        nextId = Math.max(nextId, v.id() + 1);
    }

    private void applyConfig(String subject, CompatibilityLevel level) {
        if (subject == null) {
            globalLevel = level;
        } else {
            subjectConfig.put(subject, level);
        }
    }

    private void load() {
        if (!Files.exists(logFile)) {
            return;
        }
        try {
            int lineNo = 0;
            for (String line : Files.readAllLines(logFile, StandardCharsets.UTF_8)) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = JSON.readTree(line);
                } catch (IOException e) {
                    // A torn last line from a crash mid-write is the only way this happens; everything before it is intact.
                    throw new IllegalStateException("schema store " + logFile + " line " + lineNo
                            + " is not JSON; fix or remove that line", e);
                }
                switch (node.path("type").asText()) {
                    case "schema" -> apply(new Version(node.path("subject").asText(), node.path("version").asInt(),
                            node.path("id").asInt(), node.path("schema").asText()));
                    case "config" -> applyConfig(node.hasNonNull("subject") ? node.path("subject").asText() : null,
                            CompatibilityLevel.parse(node.path("level").asText()));
                    default -> throw new IllegalStateException("schema store " + logFile + " line " + lineNo
                            + " has unknown type '" + node.path("type").asText() + "'");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema store " + logFile, e);
        }
    }

    private void append(ObjectNode line) {
        if (logFile == null) {
            return;
        }
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            Files.writeString(logFile, JSON.writeValueAsString(line) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE, StandardOpenOption.DSYNC);
        } catch (IOException e) {
            throw new RegistryError(500, 50001, "Error in the backend data store: cannot write " + logFile + ": " + e.getMessage());
        }
    }
}
