package dev.continuum.oip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.continuum.engine.DataType;
import dev.continuum.engine.Tensor;
import dev.continuum.proto.inference.InferTensorContents;
import dev.continuum.proto.inference.ModelInferRequest.InferInputTensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class OipProtoTensorsTest {
    private static InferInputTensor typed(String datatype, InferTensorContents.Builder contents, long... shape) {
        InferInputTensor.Builder b = InferInputTensor.newBuilder().setName("x").setDatatype(datatype).setContents(contents);
        for (long d : shape) {
            b.addShape(d);
        }
        return b.build();
    }

    private static void refused(InferInputTensor in, String message) {
        assertThatThrownBy(() -> OipProtoTensors.fromContents(in)).isInstanceOfSatisfying(OipException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }

    @Test
    void widenedSmallIntegersAreNarrowedWhenTheyFitTheirDatatype() {
        Tensor i8 = OipProtoTensors.fromContents(typed("INT8", InferTensorContents.newBuilder()
                .addAllIntContents(List.of(-128, 0, 127)), 3));
        assertThat(i8.byteData()).containsExactly((byte) -128, (byte) 0, (byte) 127);
        Tensor u8 = OipProtoTensors.fromContents(typed("UINT8", InferTensorContents.newBuilder()
                .addAllUintContents(List.of(0, 255)), 2));
        assertThat(u8.getLong(1)).isEqualTo(255);
        Tensor i16 = OipProtoTensors.fromContents(typed("INT16", InferTensorContents.newBuilder()
                .addAllIntContents(List.of(-32768, 32767)), 2));
        assertThat(i16.shortData()).containsExactly((short) -32768, (short) 32767);
        Tensor u16 = OipProtoTensors.fromContents(typed("UINT16", InferTensorContents.newBuilder()
                .addAllUintContents(List.of(65535)), 1));
        assertThat(u16.getLong(0)).isEqualTo(65535);
        Tensor u32 = OipProtoTensors.fromContents(typed("UINT32", InferTensorContents.newBuilder()
                .addUintContents(-1), 1)); // 4294967295 on the wire
        assertThat(u32.getLong(0)).isEqualTo(4294967295L);
    }

    @Test
    void aWidenedValueOutsideItsDatatypeIsRefusedNamingTheInputAndElement() {
        refused(typed("INT8", InferTensorContents.newBuilder().addAllIntContents(List.of(1, 128)), 2),
                "input 'x': int_contents[1] = 128 is not within INT8 (-128 to 127)");
        refused(typed("INT8", InferTensorContents.newBuilder().addIntContents(-129), 1),
                "input 'x': int_contents[0] = -129 is not within INT8 (-128 to 127)");
        refused(typed("UINT8", InferTensorContents.newBuilder().addUintContents(256), 1),
                "input 'x': uint_contents[0] = 256 is not within UINT8 (0 to 255)");
        refused(typed("UINT8", InferTensorContents.newBuilder().addUintContents(-1), 1),
                "input 'x': uint_contents[0] = 4294967295 is not within UINT8 (0 to 255)");
        refused(typed("INT16", InferTensorContents.newBuilder().addIntContents(40000), 1),
                "input 'x': int_contents[0] = 40000 is not within INT16 (-32768 to 32767)");
        refused(typed("UINT16", InferTensorContents.newBuilder().addUintContents(65536), 1),
                "input 'x': uint_contents[0] = 65536 is not within UINT16 (0 to 65535)");
    }

    @Test
    void contentsOfTheWrongCountOrFieldAreRefusedNamingTheInput() {
        refused(typed("FP32", InferTensorContents.newBuilder().addFp32Contents(1f), 2),
                "input 'x': shape [2] needs 2 values, the fp32 contents have 1");
        refused(typed("INT64", InferTensorContents.newBuilder().addIntContents(1), 1),
                "input 'x': shape [1] needs 1 values, the int64 contents have 0");
        refused(typed("FP31", InferTensorContents.newBuilder(), 1),
                "input 'x': unknown datatype 'FP31'; expected one of " + OipTypes.NAMES);
    }

    @Test
    void rawContentsRoundTripLittleEndianAndTheirLengthIsChecked() {
        Tensor t = Tensor.ofFloats(new int[] {2, 2}, 1f, -2f, 0.5f, 3e10f);
        ByteString raw = OipProtoTensors.toRaw(t);
        assertThat(raw.size()).isEqualTo(16);
        assertThat(raw.byteAt(3)).isEqualTo((byte) 0x3f); // 1.0f = 0x3f800000, high byte last
        Tensor back = OipProtoTensors.fromRaw(typed("FP32", InferTensorContents.newBuilder(), 2, 2), raw);
        assertThat(back.dataType()).isEqualTo(DataType.FLOAT);
        assertThat(back.shape()).containsExactly(2, 2);
        assertThat(back.floatData()).containsExactly(1f, -2f, 0.5f, 3e10f);
        assertThatThrownBy(() -> OipProtoTensors.fromRaw(typed("FP32", InferTensorContents.newBuilder(), 3), raw))
                .isInstanceOf(OipException.class)
                .hasMessage("input 'x': shape [3] of FP32 needs 12 raw bytes, got 16");
    }
}
