package dev.continuum.controller.placement.persistence;

import java.io.Serializable;
import java.util.Objects;

/** The (device, model) key of placement rows. */
public class DeviceModelKey implements Serializable {
    public String deviceId;
    public String model;

    public DeviceModelKey() {
    }

    public DeviceModelKey(String deviceId, String model) {
        this.deviceId = deviceId;
        this.model = model;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeviceModelKey k && Objects.equals(deviceId, k.deviceId) && Objects.equals(model, k.model);
    }

    @Override
    public int hashCode() {
        return Objects.hash(deviceId, model);
    }
}
