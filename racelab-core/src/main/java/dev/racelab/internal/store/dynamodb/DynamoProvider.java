package dev.racelab.internal.store.dynamodb;

import dev.racelab.store.Capability;
import dev.racelab.store.Layout;
import dev.racelab.internal.settings.Provisioned;
import dev.racelab.internal.settings.Setting;
import dev.racelab.store.Store;
import dev.racelab.store.StoreAddress;
import dev.racelab.store.StoreProvider;
import dev.racelab.internal.settings.StoreSettings;
import dev.racelab.internal.settings.Provisioning;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** DynamoDB at a URL, or DynamoDB Local started in-process when none is given. */
public final class DynamoProvider implements StoreProvider, Provisioning {
    static final Setting URL = new Setting("dynamodb-url", "RACELAB_DYNAMODB_URL", null, "URL",
            "DynamoDB endpoint; without one, DynamoDB Local starts in-process. Credentials come from the AWS"
                    + " environment variables, or dummy ones for a local endpoint");
    static final Setting REGION = new Setting("dynamodb-region", "AWS_REGION", "us-east-1", "REGION", "AWS region");

    @Override
    public String name() {
        return "dynamodb";
    }

    @Override
    public String description() {
        return "DynamoDB at " + URL.flag() + " (" + URL.env() + "), or DynamoDB Local started in-process when none is given";
    }

    @Override
    public Set<Capability> capabilities() {
        return DynamoStore.CAPABILITIES;
    }

    @Override
    public List<Setting> settings() {
        return List.of(URL, REGION);
    }

    @Override
    public Provisioned provision(StoreSettings settings) {
        String region = settings.get(REGION);
        String url = settings.get(URL);
        if (url != null) return Provisioned.at(new StoreAddress(name(), url, Map.of(DynamoStore.REGION_OPTION, region)));
        DynamoLocalServer server = DynamoLocalServer.start();
        return new Provisioned(new StoreAddress(name(), server.url(),
                Map.of(DynamoStore.REGION_OPTION, region, DynamoStore.LOCAL_OPTION, "true")), server);
    }

    @Override
    public Store open(StoreAddress address, Layout layout, int poolSize) {
        return DynamoStore.open(address, poolSize);
    }
}
