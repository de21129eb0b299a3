package dev.racelab.junit.internal;

import dev.racelab.junit.Finding;
import dev.racelab.junit.Race;
import dev.racelab.junit.RaceResult;
import dev.racelab.junit.RaceTest;
import java.lang.reflect.Method;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.AssertionFailedError;

/**
 * The Jupiter extension behind {@link RaceTest}: resolves the method's {@link Race} parameter, lets
 * the method configure it, then runs the race and turns a FAIL into the test's failure. A method
 * that ran the race itself ({@link Race#run()}) judges the verdict on its own.
 */
public final class RaceExtension implements ParameterResolver, InvocationInterceptor {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RaceExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Race.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Method method = context.getRequiredTestMethod();
        RaceTest settings = AnnotationSupport.findAnnotation(method, RaceTest.class)
                .orElseThrow(() -> new ParameterResolutionException("a Race parameter needs a @RaceTest method; " + method.getName() + " is not one"));
        RaceImpl race = new RaceImpl(RaceSettings.of(settings), context);
        context.getStore(NAMESPACE).put(method, race);
        return race;
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call, ExtensionContext context)
            throws Throwable {
        invocation.proceed();
        RaceImpl race = context.getStore(NAMESPACE).get(call.getExecutable(), RaceImpl.class);
        if (race == null) {
            throw new ExtensionConfigurationException("@RaceTest method " + call.getExecutable().getName() + " takes no Race parameter:"
                    + " declare one (void " + call.getExecutable().getName() + "(Race race)) and give it race.op(...) and race.expect(...)");
        }
        if (race.ran()) return;
        if (!race.configured()) {
            throw new ExtensionConfigurationException("@RaceTest method " + call.getExecutable().getName() + " never called race.op(...):"
                    + " there is nothing to race");
        }
        RaceResult result = race.run();
        if (result.passed()) return;
        if (result.verdict() == RaceResult.Verdict.HARDLY_RAN) throw new AssertionFailedError(result.message());
        Finding first = result.findings().stream().filter(f -> !f.holds()).findFirst().orElseThrow();
        throw new AssertionFailedError(result.message(), first.expected(), first.actual());
    }
}
