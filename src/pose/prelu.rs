//! PRelu, rewritten before tract sees it, as `max(x, 0) + slope · min(x, 0)`.
//!
//! tract expands ONNX PRelu into a comparison and a select that run through
//! generic element-wise loops: a sixth of the face model's time (`perf`, 2026-12-07).
//! Max and Min against a scalar, a per-channel Mul and an Add run in its
//! vectorised kernels instead. The values are the same to the bit: for x > 0 the
//! sum is x + slope · 0, for x < 0 it is 0 + slope · x, both exact.

use tract_onnx::pb::{ModelProto, NodeProto, TensorProto};

/// The scalar zero the rewritten nodes compare against (an initializer).
const ZERO_NAME: &str = "chintuck.prelu.zero";
/// ONNX TensorProto data type of f32.
const ONNX_FLOAT: i32 = 1;

/// Replaces every two-input PRelu node of the main graph in place.
pub(crate) fn rewrite_prelu(model: &mut ModelProto) {
    let Some(graph) = model.graph.as_mut() else {
        return;
    };
    let prelus = graph.node.iter().filter(|node| is_prelu(node)).count();
    if prelus == 0 {
        return;
    }
    let mut nodes = Vec::with_capacity(graph.node.len() + 3 * prelus);
    for node in graph.node.drain(..) {
        if !is_prelu(&node) {
            nodes.push(node);
            continue;
        }
        // Named after the output, which is unique in the graph (node names need not be).
        let (x, slope, y) = (&node.input[0], &node.input[1], &node.output[0]);
        let positive = format!("{y}.prelu_positive");
        let negative = format!("{y}.prelu_negative");
        let scaled = format!("{y}.prelu_scaled");
        nodes.push(binary("Max", &positive, [x, ZERO_NAME], &positive));
        nodes.push(binary("Min", &negative, [x, ZERO_NAME], &negative));
        nodes.push(binary("Mul", &scaled, [&negative, slope], &scaled));
        nodes.push(binary(
            "Add",
            &format!("{y}.prelu_sum"),
            [&positive, &scaled],
            y,
        ));
    }
    graph.node = nodes;
    graph.initializer.push(TensorProto {
        dims: vec![],
        data_type: ONNX_FLOAT,
        float_data: vec![0.0],
        name: ZERO_NAME.to_string(),
        ..Default::default()
    });
}

fn is_prelu(node: &NodeProto) -> bool {
    node.op_type == "PRelu" && node.input.len() == 2 && node.output.len() == 1
}

fn binary(op_type: &str, name: &str, inputs: [&str; 2], output: &str) -> NodeProto {
    NodeProto {
        input: inputs.iter().map(|input| input.to_string()).collect(),
        output: vec![output.to_string()],
        name: name.to_string(),
        op_type: op_type.to_string(),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pose::blazepose::OnnxModel;
    use crate::pose::blazepose::models::ModelSource;
    use crate::pose::facemesh::decode::FACE_INPUT_SIDE;
    use crate::pose::facemesh::{FACE_LANDMARK_FILE, LANDMARKS_OUTPUT, PRESENCE_OUTPUT};
    use tract_onnx::prelude::Framework;

    /// The face model's outputs for `input`, loaded as chintuck loads it with
    /// `prepare` in place of the rewrite.
    fn face_model_output(prepare: fn(&mut ModelProto), input: &[f32]) -> Vec<f32> {
        let model = ModelSource::BuiltIn.read(FACE_LANDMARK_FILE).unwrap();
        let mut onnx_model = OnnxModel::load_with(
            &model.origin,
            &model.bytes,
            FACE_INPUT_SIDE,
            &[LANDMARKS_OUTPUT, PRESENCE_OUTPUT],
            prepare,
        )
        .unwrap();
        let outputs = onnx_model.run(input).unwrap();
        outputs
            .iter()
            .flat_map(|output| {
                crate::pose::blazepose::output_values(output)
                    .unwrap()
                    .to_vec()
            })
            .collect()
    }

    fn count(model: &ModelProto, op_type: &str) -> usize {
        let graph = model.graph.as_ref().unwrap();
        graph.node.iter().filter(|n| n.op_type == op_type).count()
    }

    #[test]
    fn every_prelu_is_replaced() {
        let bytes = ModelSource::BuiltIn.read(FACE_LANDMARK_FILE).unwrap().bytes;
        let mut proto = tract_onnx::onnx()
            .proto_model_for_read(&mut std::io::Cursor::new(&bytes[..]))
            .unwrap();
        let prelus = count(&proto, "PRelu");
        assert!(prelus > 0, "the face model has PRelu layers");
        rewrite_prelu(&mut proto);
        assert_eq!(count(&proto, "PRelu"), 0);
        assert_eq!(count(&proto, "Max"), prelus);
    }

    /// The rewritten face model gives the original's outputs to the bit, on an
    /// input with both signs everywhere in the network.
    #[test]
    fn the_rewritten_model_gives_the_same_values() {
        let side = FACE_INPUT_SIDE;
        let input: Vec<f32> = (0..side * side * 3)
            .map(|i| ((i * 7919) % 255) as f32 / 255.0)
            .collect();
        let original = face_model_output(|_| {}, &input);
        let rewritten = face_model_output(rewrite_prelu, &input);
        assert_eq!(original.len(), 1405);
        assert!(
            original
                .iter()
                .zip(&rewritten)
                .all(|(a, b)| a.to_bits() == b.to_bits())
        );
    }
}
