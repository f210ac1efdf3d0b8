package org.sep4j.core.track;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sep4j.core.io.Json;

/**
 * The slice of the Weights &amp; Biases HTTP API a tracker needs: the {@code upsertBucket} GraphQL
 * mutation (create or update a run with its config), the file-stream endpoint (history rows,
 * summary, completion) and signed-URL file uploads. Basic auth with user {@code api}. Each call
 * retries with exponential back-off; after the last attempt it throws.
 */
final class WandbClient {

    private static final String UPSERT = "mutation UpsertBucket($name: String, $project: String, $entity: String, "
            + "$groupName: String, $displayName: String, $config: JSONString) { upsertBucket(input: {name: $name, "
            + "modelName: $project, entityName: $entity, groupName: $groupName, displayName: $displayName, "
            + "config: $config}) { bucket { id name displayName project { name entity { name } } } inserted } }";
    private static final String UPLOAD_URLS = "query RunUploadUrls($name: String!, $files: [String]!, "
            + "$entity: String, $run: String!) { model(name: $name, entityName: $entity) { bucket(name: $run) "
            + "{ id files(names: $files) { uploadHeaders edges { node { name url(upload: true) } } } } } }";

    private final WandbSettings settings;
    private final HttpClient http;
    private final String auth;
    private String entity;

    WandbClient(WandbSettings settings) {
        this.settings = settings;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        this.auth = "Basic " + Base64.getEncoder().encodeToString(("api:" + settings.apiKey())
                .getBytes(StandardCharsets.UTF_8));
        this.entity = settings.entity();
    }

    /** Creates or updates the run; learns the entity when the settings leave it to the server. */
    @SuppressWarnings("unchecked")
    void upsertRun(RunInfo run, Map<String, Object> config) throws IOException {
        Map<String, Object> wrapped = new LinkedHashMap<>();
        config.forEach((k, v) -> {
            Map<String, Object> cell = new LinkedHashMap<>();
            cell.put("value", v);
            cell.put("desc", null);
            wrapped.put(k, cell);
        });
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("name", run.id());
        vars.put("project", settings.project());
        vars.put("entity", entity);
        vars.put("groupName", run.group());
        vars.put("displayName", run.name());
        vars.put("config", Json.write(wrapped));
        Object reply = graphql(UPSERT, vars);
        Object e = dig(reply, "data", "upsertBucket", "bucket", "project", "entity", "name");
        if (e instanceof String s) {
            entity = s;
        }
        if (entity == null) {
            throw new IOException("W&B did not say which entity the run belongs to; set wandb.entity");
        }
    }

    void history(RunInfo run, long offset, List<String> rows) throws IOException {
        stream(run, Map.of("wandb-history.jsonl", Map.of("offset", offset, "content", rows)));
    }

    void summary(RunInfo run, Map<String, Object> summary) throws IOException {
        stream(run, Map.of("wandb-summary.json", Map.of("offset", 0L, "content", List.of(Json.write(summary)))));
    }

    void finish(RunInfo run, int exitCode) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("complete", true);
        body.put("exitcode", (long) exitCode);
        post(fileStreamUrl(run), Json.write(body));
    }

    @SuppressWarnings("unchecked")
    void upload(RunInfo run, String name, Path file) throws IOException {
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("name", settings.project());
        vars.put("entity", entity);
        vars.put("run", run.id());
        vars.put("files", List.of(name));
        Object reply = graphql(UPLOAD_URLS, vars);
        Object edges = dig(reply, "data", "model", "bucket", "files", "edges");
        if (!(edges instanceof List<?> list) || list.isEmpty()) {
            throw new IOException("W&B returned no upload URL for " + name);
        }
        Object url = dig(list.get(0), "node", "url");
        if (!(url instanceof String u)) {
            throw new IOException("W&B returned no upload URL for " + name);
        }
        send(() -> HttpRequest.newBuilder(URI.create(u)).timeout(Duration.ofSeconds(60))
                .PUT(HttpRequest.BodyPublishers.ofFile(file)).build(), "upload " + name);
    }

    private void stream(RunInfo run, Map<String, Object> files) throws IOException {
        post(fileStreamUrl(run), Json.write(Map.of("files", files)));
    }

    private String fileStreamUrl(RunInfo run) {
        return settings.baseUrl() + "/files/" + entity + "/" + settings.project() + "/" + run.id() + "/file_stream";
    }

    private Object graphql(String query, Map<String, Object> vars) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", query);
        body.put("variables", vars);
        String reply = post(settings.baseUrl() + "/graphql", Json.write(body));
        Object parsed = Json.parse(reply);
        Object errors = dig(parsed, "errors");
        if (errors instanceof List<?> l && !l.isEmpty()) {
            throw new IOException("W&B GraphQL error: " + Json.write(errors));
        }
        return parsed;
    }

    private String post(String url, String json) throws IOException {
        return send(() -> HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", auth).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build(), url);
    }

    private interface RequestFactory {
        HttpRequest build() throws IOException;
    }

    private String send(RequestFactory request, String what) throws IOException {
        long delay = settings.backoffMillis();
        IOException last = null;
        for (int attempt = 1; attempt <= settings.retries(); attempt++) {
            try {
                HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                int code = r.statusCode();
                if (code / 100 == 2) {
                    return r.body();
                }
                last = new IOException("HTTP " + code + " from " + what + ": " + abbreviate(r.body()));
                if (code / 100 == 4 && code != 408 && code != 429) {
                    throw last; // a client error will not heal by waiting
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while talking to W&B", e);
            } catch (IOException e) {
                if (e == last) {
                    throw e;
                }
                last = e;
            }
            if (attempt < settings.retries()) {
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting to retry W&B", e);
                }
                delay = Math.min(delay * 2, 60_000);
            }
        }
        throw last;
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    static Object dig(Object v, String... path) {
        Object cur = v;
        for (String k : path) {
            if (!(cur instanceof Map<?, ?> m)) {
                return null;
            }
            cur = m.get(k);
        }
        return cur;
    }
}
