package io.cxpulse.ingest.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxpulse.ingest.EventType;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class TokenAuthenticatorTest {
    static final TokenAuthenticator AUTH = TokenAuthenticator.parse(
            "crm:crm-secret, helpdesk:help-secret:ticket-events\nweb:web-secret:touchpoints|survey-responses", "k");

    @Test
    void shouldFindTheSourceOfAValidToken() {
        assertThat(AUTH.authenticate("Bearer crm-secret")).map(Source::name).contains("crm");
        assertThat(AUTH.authenticate("bearer help-secret")).map(Source::name).contains("helpdesk");
    }

    @Test
    void shouldRefuseAWrongOrMissingToken() {
        assertThat(AUTH.authenticate("Bearer crm-secreT")).isEmpty();
        assertThat(AUTH.authenticate("Bearer crm-secret-and-more")).isEmpty();
        assertThat(AUTH.authenticate("Bearer ")).isEmpty();
        assertThat(AUTH.authenticate("crm-secret")).isEmpty();
        assertThat(AUTH.authenticate(null)).isEmpty();
    }

    @Test
    void shouldLimitSourcesToTheirTypes() {
        Source helpdesk = AUTH.authenticate("Bearer help-secret").orElseThrow();
        Source web = AUTH.authenticate("Bearer web-secret").orElseThrow();

        assertThat(helpdesk.mayPublish(EventType.TICKET_EVENT)).isTrue();
        assertThat(helpdesk.mayPublish(EventType.SURVEY_RESPONSE)).isFalse();
        assertThat(web.allowed()).containsExactlyInAnyOrder(EventType.TOUCHPOINT, EventType.SURVEY_RESPONSE);
        assertThat(AUTH.authenticate("Bearer crm-secret").orElseThrow().allowed()).hasSize(3);
    }

    @Test
    void shouldRefuseBadSpecsWithoutShowingTokens() {
        assertThatThrownBy(() -> TokenAuthenticator.parse("crm", "ingest.tokens"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ingest.tokens");
        assertThatThrownBy(() -> TokenAuthenticator.parse("a:s1,a:s2", "ingest.tokens"))
                .hasMessageContaining("twice").hasMessageNotContaining("s1");
        assertThatThrownBy(() -> TokenAuthenticator.parse("a:s1:complaints", "ingest.tokens"))
                .hasMessageContaining("complaints").hasMessageNotContaining("s1");
        assertThatThrownBy(() -> TokenAuthenticator.parse(" ", "ingest.tokens"))
                .isInstanceOf(ConfigException.class);
    }
}
