package io.lrnn.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.transaction.CannotCreateTransactionException;

/** Database failures through the error mapper: unavailable-for-now is 503 with Retry-After, a bug stays 500. */
class StoreErrorMappingTest {

    private static final SQLTransientConnectionException POOL_TIMEOUT =
            new SQLTransientConnectionException("Connection is not available, request timed out after 2001ms");

    private final ErrorMapper mapper = new ErrorMapper(Duration.ofSeconds(7));

    @Test
    void noConnectionIsAStoreUnavailableProblemWithRetryAfter() {
        ResponseEntity<Object> answer = mapper.storeError(new CannotCreateTransactionException(
                "Could not open JDBC Connection for transaction", POOL_TIMEOUT), request("/api/v1/training-jobs"));

        assertThat(answer.getStatusCode().value()).isEqualTo(503);
        assertThat(answer.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("7");
        ProblemDetail problem = (ProblemDetail) answer.getBody();
        assertThat(problem.getType().toString()).isEqualTo(ErrorMapper.TYPE_BASE + "store-unavailable");
        assertThat(problem.getDetail()).startsWith("the database is unreachable for now")
                .doesNotContain("HikariPool", "Exception");
    }

    @Test
    void aWrappedStoreFailureIsStill503AndOpenInferenceGetsItsOwnBody() {
        ResponseEntity<Object> answer = mapper.unexpected(new IllegalStateException("wrapped",
                new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection", POOL_TIMEOUT)),
                request("/v2/models/demo"));

        assertThat(answer.getStatusCode().value()).isEqualTo(503);
        assertThat(answer.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("7");
        assertThat(answer.getBody()).isInstanceOf(Map.class);
    }

    @Test
    void aBadStatementIsABugNotAnOutage() {
        ResponseEntity<Object> answer = mapper.storeError(new BadSqlGrammarException("SELECT", "SELECT nope",
                new SQLException("relation does not exist", "42P01")), request("/api/v1/datasets"));

        assertThat(answer.getStatusCode().value()).isEqualTo(500);
        assertThat(answer.getHeaders().containsHeader(HttpHeaders.RETRY_AFTER)).isFalse();
        assertThat(((ProblemDetail) answer.getBody()).getType().toString())
                .isEqualTo(ErrorMapper.TYPE_BASE + "internal-error");
    }

    private static MockHttpServletRequest request(String path) {
        return new MockHttpServletRequest("GET", path);
    }
}
