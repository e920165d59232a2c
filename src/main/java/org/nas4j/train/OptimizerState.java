package org.nas4j.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Optimizer;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Saves and restores what an optimizer has learnt: its per-parameter state arrays (Adam's
 * moments, SGD's momentum buffers), its per-parameter update counts and its update number, so
 * a child trained further continues as if it had never stopped. DJL keeps these in private maps
 * keyed by parameter ids, which are new in every model, and offers no way to save them; so they
 * are read and written by reflection, saved by parameter name. A DJL whose optimizers keep their
 * state otherwise fails here loudly (an IOException), never silently.
 */
final class OptimizerState {
    private static final String COUNTS = "updateCounts";
    private static final String NUM_UPDATE = "numUpdate";

    private OptimizerState() {
    }

    /**
     * Writes {@code optimizer}'s state to {@code file}; {@code names} maps each parameter id to its
     * name; copies live in a sub-manager of {@code parent} while they are written.
     */
    static void save(Optimizer optimizer, Map<String, String> names, Path file, NDManager parent) throws IOException {
        try (NDManager m = parent.newSubManager()) {
            NDList out = new NDList();
            for (Field f : stateFields(optimizer.getClass())) {
                @SuppressWarnings("unchecked")
                Map<String, Map<Device, NDArray>> state = (Map<String, Map<Device, NDArray>>) get(f, optimizer);
                for (Map.Entry<String, Map<Device, NDArray>> e : state.entrySet()) {
                    NDArray a = e.getValue().values().iterator().next().duplicate();
                    a.attach(m);
                    a.setName(f.getName() + "/" + name(names, e.getKey()));
                    out.add(a);
                }
            }
            @SuppressWarnings("unchecked")
            Map<String, Integer> counts = (Map<String, Integer>) get(field(COUNTS), optimizer);
            for (Map.Entry<String, Integer> e : counts.entrySet()) {
                NDArray c = m.create(e.getValue());
                c.setName(COUNTS + "/" + name(names, e.getKey()));
                out.add(c);
            }
            NDArray n = m.create((int) get(field(NUM_UPDATE), optimizer));
            n.setName(NUM_UPDATE);
            out.add(n);
            Files.write(file, out.encode());
        }
    }

    /**
     * Reads what {@link #save} wrote into {@code optimizer} (not yet used), for the parameters
     * {@code ids} maps from name to their new ids, on {@code parent}'s device.
     */
    static void load(Optimizer optimizer, Map<String, String> ids, Path file, NDManager parent) throws IOException {
        Device device = parent.getDevice();
        try (NDManager m = parent.newSubManager()) {
            NDList in = NDList.decode(m, Files.readAllBytes(file));
            Map<String, Field> fields = new java.util.HashMap<>();
            for (Field f : stateFields(optimizer.getClass())) {
                fields.put(f.getName(), f);
            }
            @SuppressWarnings("unchecked")
            Map<String, Integer> counts = (Map<String, Integer>) get(field(COUNTS), optimizer);
            for (NDArray a : in) {
                String name = a.getName();
                if (name.equals(NUM_UPDATE)) {
                    set(field(NUM_UPDATE), optimizer, a.getInt());
                    continue;
                }
                int slash = name.indexOf('/');
                String id = ids.get(name.substring(slash + 1));
                if (slash < 0 || id == null) {
                    throw new IOException(file + ": optimizer state for '" + name + "', which this child does not have");
                }
                String kind = name.substring(0, slash);
                if (kind.equals(COUNTS)) {
                    counts.put(id, a.getInt());
                } else if (fields.containsKey(kind)) {
                    @SuppressWarnings("unchecked")
                    Map<String, Map<Device, NDArray>> state = (Map<String, Map<Device, NDArray>>) get(fields.get(kind), optimizer);
                    NDArray kept = a.duplicate();
                    kept.detach(); // as DJL keeps optimizer state: owned by no manager
                    Map<Device, NDArray> perDevice = new ConcurrentHashMap<>();
                    perDevice.put(device, kept);
                    state.put(id, perDevice);
                } else {
                    throw new IOException(file + ": this optimizer keeps no state '" + kind + "'");
                }
            }
        }
    }

    private static String name(Map<String, String> names, String id) throws IOException {
        String n = names.get(id);
        if (n == null) {
            throw new IOException("optimizer state for a parameter the model does not have (" + id + ")");
        }
        return n;
    }

    /** The fields of type Map<String, Map<Device, NDArray>> of an optimizer class and its superclasses. */
    private static List<Field> stateFields(Class<?> c) {
        List<Field> out = new ArrayList<>();
        for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
            for (Field f : k.getDeclaredFields()) {
                if (!Modifier.isStatic(f.getModifiers()) && Map.class.isAssignableFrom(f.getType())
                        && f.getGenericType() instanceof ParameterizedType p && p.getActualTypeArguments()[1].getTypeName()
                        .equals("java.util.Map<ai.djl.Device, ai.djl.ndarray.NDArray>")) {
                    f.setAccessible(true);
                    out.add(f);
                }
            }
        }
        return out;
    }

    private static Field field(String name) throws IOException {
        try {
            Field f = Optimizer.class.getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IOException("this DJL's Optimizer has no '" + name + "': its state cannot be saved", e);
        }
    }

    private static Object get(Field f, Object o) throws IOException {
        try {
            return f.get(o);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IOException("cannot read the optimizer's " + f.getName() + ": " + e.getMessage(), e);
        }
    }

    private static void set(Field f, Object o, int v) throws IOException {
        try {
            f.setInt(o, v);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IOException("cannot set the optimizer's " + f.getName() + ": " + e.getMessage(), e);
        }
    }
}
