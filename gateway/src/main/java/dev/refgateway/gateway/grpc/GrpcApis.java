package dev.refgateway.gateway.grpc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.google.api.AnnotationsProto;
import com.google.api.HttpRule;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.ExtensionRegistry;
import com.google.protobuf.util.JsonFormat;
import io.helidon.http.Method;

/**
 * The gRPC services the gateway can translate to, read once at start-up from descriptor sets
 * ({@code protoc --include_imports --descriptor_set_out}): for each service, its methods' {@code google.api.http}
 * rules, additional bindings included, most specific first.
 */
public final class GrpcApis {

    private static final String CLASSPATH = "classpath:";

    private final Map<String, List<HttpBinding>> bindingsByService;
    private final JsonFormat.TypeRegistry types;

    private GrpcApis(Map<String, List<HttpBinding>> bindingsByService, JsonFormat.TypeRegistry types) {
        this.bindingsByService = bindingsByService;
        this.types = types;
    }

    /** No services: the gateway of a deployment without gRPC routes. */
    public static GrpcApis none() {
        return new GrpcApis(Map.of(), JsonFormat.TypeRegistry.getEmptyTypeRegistry());
    }

    /**
     * Reads descriptor sets: each a file path or {@code classpath:name}.
     *
     * @throws IllegalArgumentException naming the set and what is wrong with it (missing, not a descriptor set, an
     *                                  import it lacks, a template that does not parse)
     */
    public static GrpcApis load(List<String> descriptorSets) {
        ExtensionRegistry registry = ExtensionRegistry.newInstance();
        AnnotationsProto.registerAllExtensions(registry);
        Map<String, FileDescriptorProto> protos = new LinkedHashMap<>();
        for (String location : descriptorSets) {
            FileDescriptorSet set;
            try (InputStream in = open(location)) {
                set = FileDescriptorSet.parseFrom(in, registry);
            } catch (IOException e) {
                throw new IllegalArgumentException("\"" + location + "\" (expected: a readable descriptor set; "
                                                           + e.getMessage() + ")", e);
            }
            set.getFileList().forEach(file -> protos.putIfAbsent(file.getName(), file));
        }
        Map<String, Descriptors.FileDescriptor> built = new HashMap<>();
        Map<String, List<HttpBinding>> bindings = new LinkedHashMap<>();
        JsonFormat.TypeRegistry.Builder types = JsonFormat.TypeRegistry.newBuilder();
        for (FileDescriptorProto proto : protos.values()) {
            Descriptors.FileDescriptor file = build(proto, protos, built, descriptorSets);
            // every message type, so that an Any holding one is written and read as JSON like any message
            file.getMessageTypes().forEach(types::add);
            for (Descriptors.ServiceDescriptor service : file.getServices()) {
                bindings.put(service.getFullName(), bindings(service));
            }
        }
        return new GrpcApis(Map.copyOf(bindings), types.build());
    }

    /** Protobuf's JSON parser, knowing every message type of the descriptor sets. */
    JsonFormat.Parser parser() {
        return JsonFormat.parser().usingTypeRegistry(types);
    }

    /** The descriptor sets' message types, for writing {@code Any} fields. */
    JsonFormat.TypeRegistry types() {
        return types;
    }

    /** The rules of a service, most specific first; empty when the descriptor sets have no such service. */
    public Optional<List<HttpBinding>> bindings(String service) {
        return Optional.ofNullable(bindingsByService.get(service));
    }

    /** The services read, by full name. */
    public java.util.Set<String> services() {
        return bindingsByService.keySet();
    }

    private static InputStream open(String location) throws IOException {
        if (location.startsWith(CLASSPATH)) {
            String name = location.substring(CLASSPATH.length());
            InputStream in = GrpcApis.class.getClassLoader().getResourceAsStream(name);
            if (in == null) {
                throw new IOException("no resource " + name + " on the class path");
            }
            return in;
        }
        return Files.newInputStream(Path.of(location));
    }

    private static Descriptors.FileDescriptor build(FileDescriptorProto proto, Map<String, FileDescriptorProto> protos,
                                                    Map<String, Descriptors.FileDescriptor> built,
                                                    List<String> sets) {
        Descriptors.FileDescriptor done = built.get(proto.getName());
        if (done != null) {
            return done;
        }
        List<Descriptors.FileDescriptor> dependencies = new ArrayList<>();
        for (String dependency : proto.getDependencyList()) {
            FileDescriptorProto imported = protos.get(dependency);
            if (imported == null) {
                throw new IllegalArgumentException(sets + " (expected: descriptor sets with every import; "
                        + proto.getName() + " imports " + dependency + ", which none has: build them with "
                        + "protoc --include_imports)");
            }
            dependencies.add(build(imported, protos, built, sets));
        }
        try {
            Descriptors.FileDescriptor file = Descriptors.FileDescriptor.buildFrom(
                    proto, dependencies.toArray(Descriptors.FileDescriptor[]::new));
            built.put(proto.getName(), file);
            return file;
        } catch (DescriptorValidationException e) {
            throw new IllegalArgumentException(sets + " (expected: valid descriptors; " + proto.getName() + ": "
                                                       + e.getMessage() + ")", e);
        }
    }

    private static List<HttpBinding> bindings(Descriptors.ServiceDescriptor service) {
        List<HttpBinding> bindings = new ArrayList<>();
        for (Descriptors.MethodDescriptor method : service.getMethods()) {
            if (method.isClientStreaming()) {
                continue; // a request body is one message: client streams are not reachable over HTTP/JSON
            }
            if (!method.getOptions().hasExtension(AnnotationsProto.http)) {
                continue;
            }
            HttpRule rule = method.getOptions().getExtension(AnnotationsProto.http);
            bindings.add(binding(method, rule));
            for (HttpRule additional : rule.getAdditionalBindingsList()) {
                bindings.add(binding(method, additional));
            }
        }
        // A literal beats a variable: /v1/orders/{id}:watch and /v1/orders/search before /v1/orders/{id}.
        bindings.sort(Comparator.comparingInt((HttpBinding b) -> b.template().literalCount()).reversed());
        return List.copyOf(bindings);
    }

    private static HttpBinding binding(Descriptors.MethodDescriptor method, HttpRule rule) {
        String where = method.getFullName() + " (google.api.http)";
        Method httpMethod;
        String template;
        switch (rule.getPatternCase()) {
            case GET -> { httpMethod = Method.GET; template = rule.getGet(); }
            case PUT -> { httpMethod = Method.PUT; template = rule.getPut(); }
            case POST -> { httpMethod = Method.POST; template = rule.getPost(); }
            case DELETE -> { httpMethod = Method.DELETE; template = rule.getDelete(); }
            case PATCH -> { httpMethod = Method.PATCH; template = rule.getPatch(); }
            case CUSTOM -> { httpMethod = Method.create(rule.getCustom().getKind()); template = rule.getCustom().getPath(); }
            default -> throw new IllegalArgumentException(where + ": a rule without a pattern");
        }
        PathTemplate parsed;
        try {
            parsed = PathTemplate.parse(template);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
        Descriptors.Descriptor input = method.getInputType();
        for (String variable : parsed.variables()) {
            requireField(where, input, variable);
        }
        String body = rule.getBody();
        if (!body.isEmpty() && !body.equals("*")) {
            requireField(where, input, body);
        }
        String responseBody = rule.getResponseBody();
        if (!responseBody.isEmpty()) {
            requireField(where, method.getOutputType(), responseBody);
        }
        return HttpBinding.of(httpMethod, parsed, body, responseBody, method);
    }

    private static void requireField(String where, Descriptors.Descriptor message, String path) {
        Descriptors.Descriptor current = message;
        String[] parts = path.split("\\.");
        for (int i = 0; i < parts.length; i++) {
            Descriptors.FieldDescriptor field = current == null ? null : current.findFieldByName(parts[i]);
            if (field == null) {
                throw new IllegalArgumentException(where + ": \"" + path + "\" (expected: a field of "
                                                           + message.getFullName() + ")");
            }
            current = field.getJavaType() == Descriptors.FieldDescriptor.JavaType.MESSAGE
                    ? field.getMessageType() : null;
            if (i < parts.length - 1 && current == null) {
                throw new IllegalArgumentException(where + ": \"" + path + "\" (expected: a path through message "
                                                           + "fields of " + message.getFullName() + ")");
            }
        }
    }
}
