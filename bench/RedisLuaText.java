import java.io.OutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * For bench/redis-lua.sh: writes the text of one of racelab's Lua scripts, byte for byte as
 * racelab sends it to SCRIPT LOAD, and prints the SHA-1 that racelab's EVALSHA uses. It reads
 * both from the jar's own LuaScripts class (by reflection), so the benchmark tool runs exactly
 * what racelab runs, with no copy of the script to drift.
 *
 * <p>Usage: java -cp racelab.jar bench/RedisLuaText.java FIELD OUTFILE   (FIELD: APPLY_CHANGES)
 */
public class RedisLuaText {
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: RedisLuaText FIELD OUTFILE");
            System.exit(2);
        }
        Class<?> scripts = Class.forName("dev.racelab.internal.store.redis.LuaScripts");
        Field field = scripts.getDeclaredField(args[0]);
        field.setAccessible(true);
        Object script = field.get(null);
        String text = (String) accessor(script, "text").invoke(script);
        String sha = (String) accessor(script, "sha").invoke(script);
        try (OutputStream out = Files.newOutputStream(Path.of(args[1]))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        System.out.println(sha);
    }

    private static Method accessor(Object script, String name) throws NoSuchMethodException {
        Method m = script.getClass().getDeclaredMethod(name);
        m.setAccessible(true);
        return m;
    }
}
