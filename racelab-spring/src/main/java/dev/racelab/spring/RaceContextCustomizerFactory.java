package dev.racelab.spring;

import java.util.List;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;

/**
 * Spring's test support calls this for every test context it builds (it is listed in
 * {@code META-INF/spring.factories}, as Spring's own customizers are): the context gets the post-processor
 * that makes its DataSource beans switchable, so no test or application code has to wire racelab in.
 */
public final class RaceContextCustomizerFactory implements ContextCustomizerFactory {
    /** Made by Spring's test support, from {@code META-INF/spring.factories}. */
    public RaceContextCustomizerFactory() {
    }

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass, List<ContextConfigurationAttributes> configAttributes) {
        return new SwitchableDataSources.Customizer();
    }
}
