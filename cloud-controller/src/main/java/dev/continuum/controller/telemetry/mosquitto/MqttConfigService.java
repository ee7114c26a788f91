package dev.continuum.controller.telemetry.mosquitto;

import dev.continuum.controller.common.InvalidInputException;
import dev.continuum.controller.telemetry.broker.MqttConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.Session;

/** Builds the Mosquitto files from the enrolled devices' stored password hashes. */
@ApplicationScoped
public class MqttConfigService {
    static final String DEFAULT_CONTROLLER_USER = "continuum-controller";
    static final String DEFAULT_INSTALL_DIR = "/etc/mosquitto/continuum";

    @Inject
    Session db;

    @Inject
    MqttConfig mqtt;

    /** What {@code POST /api/v1/mqtt/config} answers: the files, and the devices they cannot include. */
    public record Generated(MosquittoFiles files, int devices, List<String> devicesWithoutPassword) {
    }

    /**
     * @param controllerUser     the controller's MQTT user; default continuum.mqtt.username, else continuum-controller
     * @param controllerPassword its password; default continuum.mqtt.password
     */
    @Transactional
    public Generated generate(String controllerUser, String controllerPassword, String installDir, Integer port) {
        String user = blankToNull(controllerUser);
        if (user == null) {
            user = mqtt.username().orElse(DEFAULT_CONTROLLER_USER);
        }
        if (user.contains(":") || user.chars().anyMatch(Character::isWhitespace)) {
            throw new InvalidInputException("controllerUsername", "the controller user name must not contain ':' or "
                    + "white space, got '" + user + "'");
        }
        String password = blankToNull(controllerPassword);
        if (password == null) {
            password = mqtt.password().orElseThrow(() -> new InvalidInputException("controllerPassword",
                    "give the controller's MQTT password (controllerPassword), or configure continuum.mqtt.password"));
        }
        int listenerPort = port == null ? 1883 : port;
        if (listenerPort < 1 || listenerPort > 65535) {
            throw new InvalidInputException("port", "port must be within 1..65535, got " + listenerPort);
        }
        String dir = blankToNull(installDir) == null ? DEFAULT_INSTALL_DIR : installDir.trim();
        if (!dir.startsWith("/")) {
            throw new InvalidInputException("installDir", "installDir must be an absolute path, got '" + dir + "'");
        }
        List<MosquittoFiles.User> devices = new ArrayList<>();
        List<String> without = new ArrayList<>();
        List<Object[]> rows = db.createNativeQuery("SELECT device_id, mqtt_password_hash FROM device_credentials "
                + "ORDER BY device_id", Object[].class).getResultList();
        for (Object[] r : rows) {
            if (r[1] == null) {
                without.add((String) r[0]);
            } else {
                devices.add(new MosquittoFiles.User((String) r[0], (String) r[1]));
            }
        }
        MosquittoFiles files = MosquittoFiles.generate(devices, new MosquittoFiles.User(user,
                MosquittoPasswords.hash(password)), mqtt.shareGroup(), dir, listenerPort);
        return new Generated(files, devices.size(), without);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
