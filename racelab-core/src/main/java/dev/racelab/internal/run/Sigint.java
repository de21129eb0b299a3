package dev.racelab.internal.run;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * Ctrl-C (SIGINT) handled while a load runs: the first one calls {@code onFirst} (the load
 * ends gracefully and is checked), a second one exits at once, as Ctrl-C does otherwise. Through
 * {@code sun.misc.Signal}, the JDK's supported way to handle a signal, reached by reflection so
 * that the build's warnings-as-errors do not meet its "internal API" warning. Where it is
 * missing, Ctrl-C keeps its default (the run ends, the workers with it).
 */
final class Sigint implements AutoCloseable {
    private final Object signal;
    private final Object previous;
    private final Method handle;

    private Sigint(Object signal, Object previous, Method handle) {
        this.signal = signal;
        this.previous = previous;
        this.handle = handle;
    }

    static Sigint onFirst(Runnable onFirst) {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Object signal = signalClass.getConstructor(String.class).newInstance("INT");
            boolean[] seen = {false};
            Object handler = Proxy.newProxyInstance(handlerClass.getClassLoader(), new Class<?>[] {handlerClass}, (proxy, m, args) -> {
                switch (m.getName()) {
                    case "handle" -> {
                        if (seen[0]) System.exit(130); // the second Ctrl-C: the shutdown hooks stop the workers
                        seen[0] = true;
                        onFirst.run();
                        return null;
                    }
                    case "hashCode" -> {
                        return System.identityHashCode(proxy);
                    }
                    case "equals" -> {
                        return proxy == args[0];
                    }
                    default -> {
                        return "the run's Ctrl-C handler";
                    }
                }
            });
            Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
            return new Sigint(signal, handle.invoke(null, signal, handler), handle);
        } catch (ReflectiveOperationException | IllegalArgumentException | LinkageError e) {
            return new Sigint(null, null, null); // no such signal here (or no sun.misc): Ctrl-C keeps its default
        }
    }

    /**
     * For a worker: Ctrl-C in a terminal reaches the coordinator's whole process group, and the
     * coordinator, not the signal, ends its workers (if the coordinator is gone, stdin closes and
     * the worker exits).
     */
    static void ignoreInWorker() {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Object signal = signalClass.getConstructor(String.class).newInstance("INT");
            signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, signal, handlerClass.getField("SIG_IGN").get(null));
        } catch (ReflectiveOperationException | IllegalArgumentException | LinkageError e) {
            // Ctrl-C keeps its default here
        }
    }

    @Override
    public void close() {
        if (signal == null) return;
        try {
            handle.invoke(null, signal, previous);
        } catch (ReflectiveOperationException e) {
            // the previous handler stays replaced: a later Ctrl-C in this JVM is ignored once, then exits
        }
    }
}
