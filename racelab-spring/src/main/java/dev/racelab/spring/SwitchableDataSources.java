package dev.racelab.spring;

import dev.racelab.junit.internal.SwitchableDataSource;
import java.lang.reflect.Modifier;
import java.sql.Connection;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.target.EmptyTargetSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.util.ClassUtils;

/**
 * Makes each DataSource bean switchable: a proxy of the bean's own class (a subclass made by Spring AOP's
 * CGLIB), so code that injects {@code HikariDataSource} by type still gets one; every call goes to the
 * bean, except {@code getConnection} while a race has routed the switch to racelab's interleaving proxy.
 * A subclass proxy rather than a switch inside the pool, because it works for any pool class without
 * knowing its internals; a final class gets an interface proxy instead (its type then is only DataSource).
 */
final class SwitchableDataSources implements BeanPostProcessor {
    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        return bean instanceof DataSource ds ? wrap(ds) : bean;
    }

    /** The bean made switchable; a bean that already is one comes back as it is (wrapped once, never twice). */
    static DataSource wrap(DataSource bean) {
        if (bean instanceof SwitchableDataSource) return bean;
        Switch sw = new Switch(bean);
        // No target for Spring AOP: the switch calls the bean itself. With the bean as its target, Spring would
        // replace a returned bean by the proxy, and racelabTarget() would route the proxy to itself.
        ProxyFactory factory = new ProxyFactory();
        factory.setTargetSource(EmptyTargetSource.forClass(bean.getClass()));
        boolean subclass = !Modifier.isFinal(bean.getClass().getModifiers());
        factory.setProxyTargetClass(subclass);
        if (!subclass) factory.setInterfaces(ClassUtils.getAllInterfaces(bean));
        factory.addInterface(SwitchableDataSource.class);
        factory.addAdvice(sw);
        DataSource proxy = (DataSource) factory.getProxy(bean.getClass().getClassLoader());
        sw.self = proxy;
        return proxy;
    }

    /** The switch: routes getConnection to the race's DataSource while one is set, else the bean answers everything. */
    private static final class Switch implements MethodInterceptor {
        private final DataSource target;
        private final AtomicReference<DataSource> route = new AtomicReference<>();
        private volatile DataSource self;

        Switch(DataSource target) {
            this.target = target;
        }

        @Override
        public Object invoke(MethodInvocation call) throws Throwable {
            String name = call.getMethod().getName();
            if (call.getMethod().getDeclaringClass() == SwitchableDataSource.class) {
                switch (name) {
                    case "racelabTarget" -> {
                        return target;
                    }
                    case "racelabRouteTo" -> {
                        routeTo((DataSource) call.getArguments()[0]);
                        return null;
                    }
                    default -> {
                        route.set(null);
                        return null;
                    }
                }
            }
            DataSource race = route.get();
            if (race != null && name.equals("getConnection")) {
                Object[] args = call.getArguments();
                Connection c = args.length == 2 ? race.getConnection((String) args[0], (String) args[1]) : race.getConnection();
                return c;
            }
            return AopUtils.invokeJoinpointUsingReflection(target, call.getMethod(), call.getArguments());
        }

        private void routeTo(DataSource race) {
            if (race == null) throw new IllegalArgumentException("race must not be null");
            // Routed to itself, getConnection would call itself until the stack overflows.
            if (race == self || race == target || race instanceof SwitchableDataSource) {
                throw new IllegalStateException("racelab: a switchable DataSource must be routed to racelab's interleaving proxy, not to itself"
                        + " or to its own pool");
            }
            if (!route.compareAndSet(null, race)) {
                throw new IllegalStateException("racelab: the application's DataSource is already in another race: races of one Spring"
                        + " context run one at a time");
            }
        }
    }

    /** Adds the post-processor to the test's context before it refreshes; equal to every other, so contexts stay cached. */
    static final class Customizer implements ContextCustomizer {
        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
            context.getBeanFactory().addBeanPostProcessor(new SwitchableDataSources());
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Customizer;
        }

        @Override
        public int hashCode() {
            return Customizer.class.hashCode();
        }
    }
}
